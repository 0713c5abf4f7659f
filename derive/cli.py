"""The `derive` command line: the only place that prints and maps errors to exit codes.

Heavy modules (SymPy, the grammar, the engine) are imported inside the commands, so that
`derive --help` answers at once.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from derive import report
from derive.cli_boundary import (INTERRUPTED, TERMINATED, Parser, Terminated, UsageError,
                                 add_limit_options, limits_of, terminate_as_interrupt,
                                 was_terminated, wants_json, with_errors)
from derive.errors import DeriveError
from derive.report import ExitCode

if TYPE_CHECKING:   # rich is imported when something is drawn, not for --help
    from rich.console import Console

FORMATS_ALL = ("text", "json", "junit")
FORMATS_TEXT_JSON = ("text", "json")


def version() -> str:
    """The installed version of `derive`, or a local marker when it is run from a checkout."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("derive")
    except PackageNotFoundError:
        return "0.0.0+local"


# ---- entry point -------------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    """Run one `derive` command; return its exit status (never raises, never calls exit).

    With `--format json` the output is one JSON document also when the input is rejected:
    no results, and an `errors` list (file, line, message).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        with terminate_as_interrupt():
            args = parser.parse_args(argv)
            return int(args.run(args))
    except SystemExit as stop:   # argparse after --help or --version
        return stop.code if isinstance(stop.code, int) else ExitCode.USAGE
    except UsageError as error:
        return _rejected(argv, str(error), ExitCode.USAGE, usage=error.usage)
    except DeriveError as error:   # bad input of the user's: say what and where
        return _rejected(argv, str(error), ExitCode.USAGE)
    except KeyboardInterrupt as interrupt:   # before any result was finished
        stopped = "terminated" if isinstance(interrupt, Terminated) else "interrupted"
        return _rejected(argv, stopped, TERMINATED if stopped == "terminated" else INTERRUPTED)
    except Exception as error:  # a bug of ours: a short hint, the whole traceback on demand
        _internal(error)
        if wants_json(argv):
            _print_json(_empty_document([(f"internal error: {type(error).__name__}: {error}", None)]))
        return ExitCode.INTERNAL


def _error(message: str) -> None:
    from derive.render import printable

    print(f"derive: error: {printable(message)}", file=sys.stderr)


def _rejected(argv: Sequence[str], message: str, code: int, usage: str = "") -> int:
    """A run that produced no results: a JSON document with the error, or the message (and
    usage) on stderr; returns `code`."""
    if wants_json(argv):
        _print_json(_empty_document([(message, None)]))
    else:
        if usage:
            sys.stderr.write(usage)
        _error(message)
    return code


def _empty_document(errors: Sequence[tuple[str, str | None]]) -> dict:
    empty = {"version": version(), "seed": None, "results": [],
             "summary": report.outcome_counts(())}
    return with_errors(empty, errors)


def _internal(error: BaseException) -> None:
    frame = traceback.extract_tb(error.__traceback__)[-1]
    _error(f"internal error: {type(error).__name__}: {error}")
    print(f"  at {frame.filename}:{frame.lineno} in {frame.name}", file=sys.stderr)
    if os.environ.get("DERIVE_TRACEBACK"):
        traceback.print_exception(error, file=sys.stderr)
    else:
        print("  set DERIVE_TRACEBACK=1 for the full traceback, and please report it",
              file=sys.stderr)


# ---- the parser --------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    """The argument parser with its sub-commands (see docs/output.md)."""
    parser = Parser(
        prog="derive", description="Check the mathematics in deep-learning exam solutions.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    _command(commands, run_list, "List every encoded part with its kind.", FORMATS_TEXT_JSON,
             seed=False, jobs=False, limits=False)
    verify = _command(commands, run_verify, "Check exams against their own solution files.")
    verify.add_argument("ids", nargs="*", metavar="ID", help="'exam' or 'exam/part'")
    verify.add_argument("--all", action="store_true", help="every part of every exam")
    show = _command(commands, run_show, "Show one part's derivation with verdicts.", (), jobs=False)
    show.add_argument("id", metavar="ID", help="'exam/part'")
    show.add_argument("--file", type=Path, default=None, metavar="FILE.md",
                      help="the solution file to show the part of (default: the exam's key)")
    check = _command(commands, run_check, "Check a solution file against its exam.")
    check.add_argument("files", type=Path, nargs="+", metavar="FILE.md")
    check.add_argument("--exam", help="the exam id (default: the file's front matter 'exam:')")
    check.add_argument("--parts", type=_part_list, default=None, metavar="ID,ID",
                       help="check only these parts of the exam (e.g. 1a,2)")
    check.add_argument("--require-all", action="store_true",
                       help="a part the file does not answer is a failure (as for an exam's key)")
    new = _command(commands, run_new, "Scaffold a new exam that loads and lists at once.", (),
                   seed=False, jobs=False)
    new.add_argument("exam_id", metavar="EXAM-ID", help="the new exam's id, e.g. dl-2026-midterm")
    new.add_argument("--from", dest="key", type=Path, default=None, metavar="KEY.md",
                     help="the key (solution file): one part module per '## <part-id>' heading")
    grade = _command(commands, run_grade, "Grade a folder of submissions: gradebook, pages, "
                     "class summary.", ())
    grade.add_argument("submissions", type=Path, metavar="SUBMISSIONS",
                       help="a folder of <student>.md files or <student>/solution.md folders")
    grade.add_argument("--exam", required=True, help="the exam id the submissions answer")
    grade.add_argument("--out", type=Path, default=Path("grades"), metavar="DIR",
                       help="where the gradebook and the pages are written (default: grades)")
    grade.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                       help="a Dask distributed scheduler to run the checks on (needs derive[dask])")
    equiv = _command(commands, run_equiv, "Decide whether two LaTeX expressions are equal.",
                     FORMATS_TEXT_JSON, jobs=False, problems=False)
    equiv.add_argument("a", metavar="LATEX_A")
    equiv.add_argument("b", metavar="LATEX_B")
    equiv.add_argument("--assume", action="append", type=_assumption, default=[],
                       metavar="FACT", help="'beta>0', 'x>=0', '0<p<1', 'n integer', "
                                            "'x positive', 'x real' (repeatable)")
    return parser


def _command(commands, run: Callable, help: str, formats: tuple[str, ...] = FORMATS_ALL, *,
             seed: bool = True, jobs: bool = True, problems: bool = True,
             limits: bool = True) -> argparse.ArgumentParser:
    """A sub-command named after its `run_<name>` function, with the common options it takes."""
    command = commands.add_parser(run.__name__.removeprefix("run_"), help=help, description=help)
    command.set_defaults(run=run, usage_error=command.error)
    if formats:
        command.add_argument("--format", choices=formats, default="text", help="output format")
    if seed:
        command.add_argument("--seed", type=int, default=0, help="seed of the sampling (default 0)")
    if jobs:
        command.add_argument("--jobs", type=int, default=None,
                             help="worker processes (default: one per CPU)")
        command.add_argument("--no-cache", action="store_true",
                             help="check every part again instead of reusing unchanged results")
        command.add_argument("--cache", type=Path, default=None, metavar="DIR",
                             help="where results are cached (default: $DERIVE_CACHE or the "
                                  "user's cache directory, e.g. ~/.cache/derive)")
    if limits:
        add_limit_options(command)
    if problems:
        command.add_argument("--problems", type=Path, default=None,
                             help="the problems directory (default: $DERIVE_PROBLEMS or ./problems)")
    return command


# ---- list --------------------------------------------------------------------------------------

def run_list(args: argparse.Namespace) -> int:
    """`derive list`: every part with its exam and kind; load errors on stderr."""
    inventory = _inventory(args)
    parts = [{"id": f"{exam.id}/{part.id}", "exam": exam.id, "part": part.id,
              "kind": part.kind.value, "erratum": len(part.erratum.steps) if part.erratum else None}
             for exam, part in inventory.all_parts()]
    if args.format == "json":
        _print_json({"version": version(), "parts": parts,
                     "load_errors": [str(error) for error in inventory.errors]})
    else:
        width = max((len(row["id"]) for row in parts), default=0) + 2
        for row in parts:
            erratum = f"  (erratum: {row['erratum']} step(s))" if row["erratum"] else ""
            print(f"{row['id']:<{width}}{row['kind']}{erratum}")
    return ExitCode.USAGE if inventory.errors else ExitCode.OK


def _problems_root(args: argparse.Namespace) -> Path:
    from derive import registry

    args.problems = Path(args.problems or registry.default_root())
    return args.problems


def _inventory(args: argparse.Namespace):
    """Load the problems directory; report (do not raise) the exams that failed to load."""
    from derive import registry

    inventory = registry.load(_problems_root(args))
    for error in inventory.errors:
        _error(f"cannot load {error}")
    return inventory


# ---- verify, check, show -----------------------------------------------------------------------

def run_verify(args: argparse.Namespace) -> int:
    """`derive verify`: check the named parts (or --all) against their exams' solution files."""
    if not args.ids and not args.all:
        args.usage_error("name parts to verify (ID ...) or pass --all")
    memo = _memo_key(args, "verify", ["--all"] if args.all else args.ids, ())
    if (remembered := _remembered(args, memo)) is not None:
        return _report(args, remembered, ())
    inventory = _inventory(args)
    parts = inventory.all_parts() if args.all else inventory.select(args.ids)
    _require_keys(exam for exam, _ in parts)
    # A broken module fails the gate of --all; a run naming other exams only reports it.
    return _run_and_report(args, [(parts, None)], inventory.errors, gate=args.all, memo=memo)


def _require_keys(exams) -> None:
    """Verify checks exams against their own keys: an exam without one is an input error."""
    for exam in {exam.id: exam for exam in exams}.values():
        if not exam.solution.is_file():
            raise _InputError(f"exam '{exam.id}' has no key: {exam.solution} does not exist; "
                              f"write it, or check another file with "
                              f"`derive check FILE.md --exam {exam.id}`")


def _part_list(text: str) -> list[str]:
    """'1a,2' -> ['1a', '2']."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        raise argparse.ArgumentTypeError("name at least one part, e.g. --parts 1a,2")
    return parts


def run_check(args: argparse.Namespace) -> int:
    """`derive check FILE.md ...`: check solution files against the exams they name.

    A file that cannot be read, names no exam or an unknown one, or has parts its exam lacks is
    reported with its name; the other files are still checked, and the exit status reflects both.
    """
    from derive.limits import unreadable_file

    rejected = [(problem, str(path)) for path in args.files if (problem := unreadable_file(path))]
    files = [path for path in args.files if not unreadable_file(path)]
    memo = _memo_key(args, "check", [args.exam or "", f"require_all={args.require_all}",
                                     *(args.parts or ())], files)
    if not rejected and (remembered := _remembered(args, memo)) is not None:
        return _report(args, remembered, ())
    inventory = _inventory(args)
    plan = []
    for path in files:
        try:
            parts, problem = _parts_of(args, inventory, path)
        except DeriveError as error:
            rejected.append((str(error), str(path)))
            continue
        plan.append((parts, path))
        if problem:   # reported as a rejected input (exit 2), while the placed parts still run
            rejected.append((problem, str(path)))
    if rejected and args.format != "json":
        for message, _ in rejected:
            _error(message)
    return _run_and_report(args, plan, inventory.errors, memo=None if rejected else memo,
                           rejected=rejected)


def _parts_of(args: argparse.Namespace, inventory, path: Path) -> tuple[list, str]:
    """Every part of the exam a solution file names, and what is wrong with its headings ("" when
    nothing): a section under a heading that names no part, or one twice, is left out and
    reported; the other parts are still checked."""
    from derive.compare.timeout import time_limit
    from derive.errors import CheckTimeout
    from derive.limits import FILE_SECONDS
    from derive.solution import read_solution

    try:
        with time_limit(FILE_SECONDS):
            solution = read_solution(path)
    except CheckTimeout:
        raise _InputError(f"{path}: reading the file took longer than {FILE_SECONDS:g} s") from None
    exam_id = args.exam or solution.exam
    if not exam_id:
        raise _InputError(f"{path}: no exam named: add front matter 'exam: <id>' "
                          "or pass --exam ID")
    try:
        exam = inventory.exam(exam_id)
    except DeriveError as error:
        raise _InputError(f"{path}: {error}") from error
    # every heading must name one of the exam's parts, or none with nothing to check
    problems = "\n".join(solution.heading_problems([part.id for part in exam.parts]))
    problem = (f"{problems} (exam '{exam.id}'; the sections under these headings were not "
               "checked)") if problems else ""
    if args.parts:
        return inventory.select([f"{exam.id}/{part_id}" for part_id in args.parts]), problem
    return [(exam, part) for part in exam.parts], problem


def run_show(args: argparse.Namespace) -> int:
    """`derive show exam/part`: the statement, then every step with its verdict."""
    from rich.text import Text

    if "/" not in args.id:
        args.usage_error(f"'{args.id}' names an exam; show takes one part: 'exam/part'")
    inventory = _inventory(args)
    [(exam, part)] = inventory.select([args.id])
    if args.file is None:
        _require_keys([exam])
    console = _console()
    console.print(Text.assemble((f"{exam.id}/{part.id}", "bold"), f"  {part.kind.value}  ",
                                (exam.title, "dim")))
    console.print(Text(part.statement))
    try:
        results = _run(args, [([(exam, part)], args.file)], jobs=1, progress=False)
    except KeyboardInterrupt as interrupt:
        return _interrupted(interrupt)
    console.print(results[0])
    return report.exit_code(results)


def run_new(args: argparse.Namespace) -> int:
    """`derive new EXAM-ID [--from KEY.md]`: write the skeleton of a new exam."""
    from derive.scaffold import scaffold

    # Not the checkout's own problems/: a new exam goes where the author works.
    root = args.problems or Path(os.environ.get("DERIVE_PROBLEMS") or Path.cwd() / "problems")
    written = scaffold(args.exam_id, root, args.key)
    for path in written:
        print(f"wrote {path}")
    print(f"next: python -m derive list --problems {root}   (then fill in the TODOs)")
    return ExitCode.OK


class _InputError(DeriveError, ValueError):
    """A command line that names inputs which do not fit together (exit status 2)."""


def _run_and_report(args: argparse.Namespace, plan: list, load_errors: Sequence[object], *,
                    gate: bool = False, memo: str | None = None,
                    rejected: Sequence[tuple[str, str]] = ()) -> int:
    """Run the plan's parts, print them in `args.format`, return the exit status.

    `plan` is a list of (parts, solution file or None for each exam's own solution.md). The
    results are remembered under `memo` when every exam loaded. `rejected` are input files
    that could not be checked (message, file): they make the exit status USAGE at least.
    Ctrl-C or SIGTERM prints the parts that were finished and ends with 130 or 143.
    """
    from derive import run_memo
    from derive.runner import Interrupted, default_jobs

    jobs = args.jobs if args.jobs is not None else default_jobs()
    try:
        results = _run(args, plan, jobs=jobs, progress=args.format == "text")
    except Interrupted as interrupt:
        finished = [interrupt.finished[index] for index in sorted(interrupt.finished)]
        _emit(args, finished, load_errors, rejected)
        return _interrupted(interrupt, len(finished))
    if memo and not load_errors:
        run_memo.store(_cache_directory(args), memo, results)
    gate_errors = [*(load_errors if gate else ()), *(message for message, _ in rejected)]
    return _report(args, results, gate_errors, shown_errors=load_errors, rejected=rejected)


def _interrupted(interrupt: BaseException, finished: int | None = None) -> int:
    """Say that the run was stopped (and how much of it was finished); its exit status."""
    terminated = was_terminated(interrupt)
    done = "" if finished is None else f"; {finished} part(s) had finished and are shown"
    _error(("terminated" if terminated else "interrupted") + done)
    return TERMINATED if terminated else INTERRUPTED


def _report(args: argparse.Namespace, results: list, gate_errors: Sequence[object], *,
            shown_errors: Sequence[object] = (), rejected: Sequence[tuple[str, str]] = ()) -> int:
    """Print the results in `args.format`; return the exit status."""
    _emit(args, results, shown_errors, rejected)
    return report.exit_code(results, gate_errors)


def _cache_directory(args: argparse.Namespace) -> Path | None:
    """Where results are cached: `--cache DIR`, else `$DERIVE_CACHE`; None with `--no-cache`."""
    from derive.cache import default_directory

    if getattr(args, "no_cache", False):
        return None
    return getattr(args, "cache", None) or default_directory()


def _memo_key(args: argparse.Namespace, command: str, selection: Sequence[str],
              solutions: Sequence[Path]) -> str | None:
    """The run's memo key, or None when caching is off or an input cannot be read (the run
    itself then reports what is wrong)."""
    from derive import run_memo

    if _cache_directory(args) is None:
        return None
    try:
        return run_memo.key(command, _problems_root(args), selection, solutions, args.seed)
    except OSError:
        return None


def _remembered(args: argparse.Namespace, memo: str | None) -> list | None:
    from derive import run_memo

    return run_memo.load(_cache_directory(args), memo) if memo else None


def _run(args: argparse.Namespace, plan: list, *, jobs: int, progress: bool) -> list:
    """Run the checks; in text mode with a transient progress bar on stderr."""
    from rich.console import Console

    from derive.compare import Settings
    from derive.runner import jobs_for, run

    require_all = getattr(args, "require_all", False)
    job_list = [job for parts, solution in plan
                for job in jobs_for(parts, args.problems, solution, require_all=require_all)]
    settings = Settings(seed=args.seed)
    cache = _cache_directory(args)
    errors = Console(file=sys.stderr)
    limits = limits_of(args)
    if not (progress and job_list and errors.is_terminal):   # no bar in CI logs or pipes
        return run(job_list, settings, jobs=jobs, cache_directory=cache, limits=limits)
    from rich.progress import Progress

    with Progress(console=errors, transient=True) as bar:
        task = bar.add_task("checking", total=len(job_list))
        return run(job_list, settings, jobs=jobs, cache_directory=cache, limits=limits,
                   on_result=lambda result: bar.update(task, advance=1, description=result.id))


def _emit(args: argparse.Namespace, results: list, load_errors: Sequence[object],
          rejected: Sequence[tuple[str, str]] = ()) -> None:
    if args.format == "json":
        document = report.to_json(results, seed=args.seed, version=version(),
                                  load_errors=load_errors)
        _print_json(with_errors(document, rejected))
    elif args.format == "junit":
        sys.stdout.write(report.to_junit(results))
    else:
        console = _console()
        console.print(report.summary_table(results))
        for result in results:
            if not result.as_expected:
                console.print(result)


def _console() -> Console:
    """The console of stdout; a pipe or a CI log gets 120 columns, not rich's 80."""
    from rich.console import Console

    console = Console(file=sys.stdout)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(file=sys.stdout, width=120)
    return console


def _print_json(document: dict) -> None:
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


# ---- grade -------------------------------------------------------------------------------------

def run_grade(args: argparse.Namespace) -> int:
    """`derive grade FOLDER --exam ID`: grade every submission; write the gradebook and pages.

    Exit status 0 when the class was graded (wrong answers are grades, not failures), 2 for
    unusable input, 3 when a check met an internal error.
    """
    from derive.compare import Settings
    from derive.grade import grade_folder
    from derive.grade.output import write_outputs
    from derive.grade.terminal import summary
    from derive.runner import Interrupted, default_jobs

    exam = _inventory(args).exam(args.exam)
    jobs = args.jobs if args.jobs is not None else default_jobs()
    try:
        with _grading_progress() as progress:
            grades = grade_folder(args.submissions, exam, args.problems, Settings(seed=args.seed),
                                  jobs=jobs, cache_directory=_cache_directory(args),
                                  scheduler=args.scheduler, progress=progress,
                                  limits=limits_of(args))
    except Interrupted as interrupt:
        return _interrupted(interrupt)   # nothing is written: a gradebook is whole or absent
    written = write_outputs(grades, args.out, version())
    console = _console()
    console.print(summary(grades))
    console.print(f"wrote {written}")
    internal = any(part.result is not None and part.result.error
                   for student in grades.students for part in student.parts)
    return ExitCode.INTERNAL if internal else ExitCode.OK


def _grading_progress():
    """A progress bar with an ETA on stderr when it is a terminal; silent callbacks otherwise."""
    from contextlib import nullcontext

    from rich.console import Console

    from derive.grade import Progress

    errors = Console(file=sys.stderr)
    if not errors.is_terminal:
        return nullcontext(Progress())
    return _RichProgress(errors)


class _RichProgress:
    """`derive.grade.Progress` drawn by rich: one bar per stage, with the time remaining."""

    def __init__(self, console) -> None:
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeRemainingColumn)

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeRemainingColumn(), console=console, transient=True)
        self.task = None

    def __enter__(self):
        from derive.grade import Progress

        self.bar.__enter__()
        return Progress(start=self._start, advance=self._advance)

    def __exit__(self, *exc) -> None:
        self.bar.__exit__(*exc)

    def _start(self, label: str, total: int) -> None:
        self.task = self.bar.add_task(label, total=total)

    def _advance(self) -> None:
        self.bar.update(self.task, advance=1)


# ---- equiv -------------------------------------------------------------------------------------

def _assumption(text: str):
    from derive.assumptions import AssumptionError, parse_assumption
    try:
        return parse_assumption(text)
    except AssumptionError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run_equiv(args: argparse.Namespace) -> int:
    """`derive equiv A B`: decide A = B under the assumptions; 0 when proved or agrees.

    Expressions are compared by value; relations by their solutions (`x = 11` and `x = 5+6`).
    Decided in a worker process, under the same budgets as a part (`--time-limit`,
    `--memory-limit`): reading and deciding untrusted text may run away.
    """
    from derive.verdict import Decision, Outcome
    from derive.workers import Overrun, run_here

    try:
        answer = run_here(decide_equivalence, (args.a, args.b, args.assume, args.seed), limits_of(args))
    except KeyboardInterrupt as interrupt:
        return _interrupted(interrupt)
    if isinstance(answer, Overrun):
        answer = Decision(Outcome.INCONCLUSIVE, f"limit:{answer.reason}", message=answer.detail)
    elif isinstance(answer, str):   # bad input, said where (exceptions do not cross processes)
        raise _InputError(answer)
    _print_decision(args, answer)
    return ExitCode.OK if answer.outcome.value in ("proved", "agrees") else ExitCode.NOT_AS_EXPECTED


def decide_equivalence(a: str, b: str, assumptions: Sequence, seed: int):
    """The body of `derive equiv` in its worker: a Decision, or the message of bad input."""
    from derive.api import decide, read
    from derive.assumptions import symbols_and_domain
    from derive.compare import Settings
    from derive.notation import Notation

    try:
        symbols, domain = symbols_and_domain(assumptions)
        notation = Notation.of(symbols=symbols)
        first, second = read(a, notation), read(b, notation)
    except DeriveError as error:
        return str(error)
    return decide(first, second, domain, Settings(seed=seed))


def _print_decision(args: argparse.Namespace, decision) -> None:
    witness = decision.witness
    if args.format == "json":
        _print_json({"version": version(), "seed": args.seed, "a": args.a, "b": args.b,
                     "outcome": decision.outcome.value, "method": decision.method,
                     "witness": None if witness is None else {
                         "point": dict(witness.point), "stated": witness.left,
                         "expected": witness.right},
                     "message": decision.message, "samples": decision.samples,
                     "worst_error": decision.worst_error})
        return
    from rich.text import Text

    from derive.render import outcome_text

    console = _console()
    console.print(Text.assemble(outcome_text(decision.outcome),
                                f" ({decision.method}{_samples(decision)})"))
    for line in (witness and "witness: " + witness.describe(), decision.message):
        if line:
            console.print(Text(line))


def _samples(decision) -> str:
    """', 12 samples, worst error 3e-16' for a numeric agreement; '' otherwise."""
    if not decision.samples:
        return ""
    worst = f", worst error {decision.worst_error:.2g}" if decision.worst_error is not None else ""
    return f", {decision.samples} samples{worst}"
