"""Reports of part results: the JSON document, JUnit XML, the summary table and the exit code.

Everything here turns verdicts into data or renderables; printing belongs to `derive.cli`.
"""

from __future__ import annotations

import enum
import xml.etree.ElementTree as ET
from collections import Counter
from typing import TYPE_CHECKING, Iterable, Sequence

from derive.verdict import Outcome, PartResult, StepVerdict

if TYPE_CHECKING:   # rich is imported only when a table is drawn
    from rich.console import Group
    from rich.text import Text

_UNDECIDED = (Outcome.UNPARSED, Outcome.INCONCLUSIVE, Outcome.PROSE, Outcome.UNANSWERED)


class ExitCode(enum.IntEnum):
    """The exit status of every `derive` command (see docs/output.md)."""

    OK = 0               # every result as expected
    NOT_AS_EXPECTED = 1  # a refuted or unparsed step (or any outcome) nobody expected
    USAGE = 2            # bad usage, or input files that cannot be read
    INTERNAL = 3         # a bug of ours or of an encoding


def exit_code(results: Sequence[PartResult], load_errors: Sequence[object] = ()) -> ExitCode:
    """The exit status for these results; an internal error outranks everything else.

    >>> exit_code([])
    <ExitCode.OK: 0>
    """
    if any(result.error for result in results):
        return ExitCode.INTERNAL
    if load_errors:
        return ExitCode.USAGE
    if not all(result.as_expected for result in results):
        return ExitCode.NOT_AS_EXPECTED
    return ExitCode.OK


# ---- JSON --------------------------------------------------------------------------------------

def outcome_counts(outcomes: Iterable[Outcome]) -> dict[str, int]:
    """A count for every outcome word, zeros included, in the order of `Outcome`."""
    counts = Counter(outcomes)
    return {outcome.value: counts[outcome] for outcome in Outcome}


def to_json(results: Sequence[PartResult], *, seed: int, version: str,
            load_errors: Sequence[object] = ()) -> dict:
    """The JSON document of docs/output.md, plus per-exam summaries and load errors."""
    return {
        "version": version,
        "seed": seed,
        "results": [result.to_json() for result in results],
        "summary": outcome_counts(result.outcome for result in results),
        "exams": exam_summaries(results),
        "load_errors": [str(error) for error in load_errors],
    }


def exam_summaries(results: Sequence[PartResult]) -> dict[str, dict]:
    """Per exam: parts, decided parts, prose parts, outcome counts, (not) as expected."""
    by_exam: dict[str, list[PartResult]] = {}
    for result in results:
        by_exam.setdefault(result.exam, []).append(result)
    return {exam: _exam_summary(parts) for exam, parts in by_exam.items()}


def _exam_summary(parts: list[PartResult]) -> dict:
    expected = sum(result.as_expected for result in parts)
    return {
        "parts": len(parts),
        "decided": sum(result.outcome not in _UNDECIDED for result in parts),
        "prose": sum(result.outcome is Outcome.PROSE for result in parts),
        "unanswered": sum(result.outcome is Outcome.UNANSWERED for result in parts),
        "outcomes": outcome_counts(result.outcome for result in parts),
        "as_expected": expected,
        "not_as_expected": len(parts) - expected,
        "display_steps": display_step_counts(parts),
    }


_STATED_ROLES = {"step", "states", "answer", "equation", "program", "statement", "informal",
                 "condition", "reasoning", "implication", "definition", "claim"}
_DECIDED = {Outcome.PROVED, Outcome.AGREES, Outcome.REFUTED}


def display_step_counts(parts: Sequence[PartResult]) -> dict[str, int]:
    """Stated display lines: how many were read, parsed, and decided (proved/agrees/refuted).

    A line is keyed by its file, line number and text (an unparsed line's column points at the
    error, so the column is left out); a line is decided when any of its links is.
    """
    lines: dict[tuple, set[Outcome]] = {}
    for result in parts:
        for step in result.steps:
            if step.role in _STATED_ROLES:
                file, line = _file_and_line(step.source)
                lines.setdefault((file, line, step.latex), set()).add(step.outcome)
    return {"read": len(lines),
            "parsed": sum(Outcome.UNPARSED not in outcomes for outcomes in lines.values()),
            "decided": sum(bool(outcomes & _DECIDED) for outcomes in lines.values())}


# ---- JUnit -------------------------------------------------------------------------------------

def to_junit(results: Sequence[PartResult]) -> str:
    """JUnit XML: one testsuite per exam, one testcase per step (a stepless part gets one)."""
    root = ET.Element("testsuites", name="derive")
    suites: dict[str, ET.Element] = {}
    for result in results:
        if result.exam not in suites:
            suites[result.exam] = ET.SubElement(root, "testsuite", name=result.exam)
        _add_part(suites[result.exam], result)
    for suite in suites.values():
        _count(suite)
    _count(root)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _add_part(suite: ET.Element, result: PartResult) -> None:
    classname = f"{result.exam}/{result.part}"
    suite.set("time", f"{float(suite.get('time', 0)) + result.seconds:.3f}")
    if not result.steps:
        case = ET.SubElement(suite, "testcase", name=result.part, classname=classname)
        _mark_part(case, result)
        return
    seen: Counter[str] = Counter()
    cases = [_add_step(suite, result, step, classname, seen) for step in result.steps]
    if not result.as_expected and not any(case.find("failure") is not None for case in cases):
        # The part is not as expected although no step failed (inconclusive, or an erratum whose
        # outcome changed): fail the step that decided the part, so the XML agrees with the gate.
        deciding = max(range(len(cases)), key=lambda k: result.steps[k].outcome.severity)
        _fail(cases[deciding], _part_message(result))
    if result.error:
        ET.SubElement(cases[0], "error", message=result.error, type="InternalError")


def _add_step(suite: ET.Element, result: PartResult, step: StepVerdict, classname: str,
              seen: Counter[str]) -> ET.Element:
    file, line = _file_and_line(step.source)
    name = f"{result.part} {line or step.source}"
    seen[name] += 1
    # Several steps share a line (`A = B = C`); CI servers merge cases of one name, so number them.
    if seen[name] > 1:
        name += f" #{seen[name]}"
    case = ET.SubElement(suite, "testcase", name=name, classname=classname)
    if file:
        case.set("file", file)
        case.set("line", line)
    if step.outcome is Outcome.PROSE:
        ET.SubElement(case, "skipped", message="prose: listed, not checked")
    elif not step.as_expected:
        _fail(case, _step_message(step), step.outcome.value)
    return case


def _mark_part(case: ET.Element, result: PartResult) -> None:
    if result.error:
        ET.SubElement(case, "error", message=result.error, type="InternalError")
    elif result.outcome is Outcome.PROSE:
        ET.SubElement(case, "skipped", message="prose: listed, not checked")
    elif not result.as_expected:
        _fail(case, _part_message(result))


def _fail(case: ET.Element, message: str, kind: str = "not-as-expected") -> None:
    ET.SubElement(case, "failure", message=message, type=kind).text = message


def _step_message(step: StepVerdict) -> str:
    parts = [f"{step.source}: {step.outcome.value}: {step.latex}"]
    if step.witness is not None:
        parts.append("witness " + step.witness.describe())
    if step.message:
        parts.append(step.message)
    return "; ".join(parts)


def _part_message(result: PartResult) -> str:
    expected = result.expected.value if result.expected else "proved or agrees"
    message = f"{result.id}: {result.outcome.value}, expected {expected}"
    if result.stale_errata:
        message += "; stale erratum (no longer fails): " + ", ".join(result.stale_errata)
    return message + (f"; {result.message}" if result.message else "")


def _file_and_line(source: str) -> tuple[str, str]:
    """('path', '14') from 'path:14:3'; ('', '') for sources without a line (extra checks)."""
    pieces = source.rsplit(":", 2)
    if len(pieces) == 3 and pieces[1].isdigit():
        return pieces[0], pieces[1]
    return "", ""


def _count(element: ET.Element) -> None:
    """Set tests/failures/errors/skipped on a testsuite (or on the root, over its suites)."""
    cases = list(element.iter("testcase"))
    element.set("tests", str(len(cases)))
    for tag, attribute in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
        element.set(attribute, str(sum(case.find(tag) is not None for case in cases)))


# ---- text --------------------------------------------------------------------------------------

def summary_table(results: Sequence[PartResult]) -> Group:
    """A rich table of the parts (id, kind, outcome, expected, method, seconds) and exam lines."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from derive.render import outcome_text, safe_text

    table = Table(show_edge=False, pad_edge=False)
    # The id is what a user copies into `derive show`: fold it when narrow, never cut it.
    table.add_column("part", overflow="fold")
    for column in ("kind", "outcome", "expected"):
        table.add_column(column)
    table.add_column("method", max_width=14, overflow="ellipsis", no_wrap=True)
    table.add_column("seconds", justify="right", no_wrap=True)
    for result in results:
        # Text, not str: a str cell is read as rich markup, and ids or methods may hold brackets.
        table.add_row(safe_text(result.id), Text(result.kind), outcome_text(result.outcome),
                      _expected_cell(result), safe_text(result.method), f"{result.seconds:.2f}")
    lines = [safe_text(_exam_line(exam, summary), style="bold" if summary["not_as_expected"] else "")
             for exam, summary in exam_summaries(results).items()]
    return Group(table, *lines)


def _expected_cell(result: PartResult) -> Text:
    from rich.text import Text

    if not result.as_expected:
        expected = result.expected.value if result.expected else "proved"
        return Text(expected, style="bold red")
    if result.expected is not None:
        return Text(f"{result.expected.value} (erratum)", style="yellow")
    return Text("")


def _exam_line(exam: str, summary: dict) -> str:
    counts = ", ".join(f"{count} {word}" for word, count in summary["outcomes"].items() if count)
    parts = summary["parts"]
    steps = summary["display_steps"]
    unanswered = f"{summary['unanswered']} not answered, " if summary["unanswered"] else ""
    return (f"{exam}: {parts} part{'s' if parts != 1 else ''}, {summary['decided']} decided, "
            f"{unanswered}{summary['prose']} prose ({counts or 'none'}); {summary['as_expected']} as expected, "
            f"{summary['not_as_expected']} not as expected; display lines {steps['read']} read, "
            f"{steps['parsed']} parsed, {steps['decided']} decided")
