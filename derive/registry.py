"""Discover encoded exams by file layout under `problems/`.

    problems/<exam-id>/exam.toml      title, source document
    problems/<exam-id>/p<N>_*.py      each defines PARTS, a tuple of Part
    problems/<exam-id>/solution.md    the stated solution
    problems/shared/*.py              encodings used by several exams (importable as `shared.*`)

A module that fails to import, or a part whose encoding is wrong (a target the notation cannot
read, a domain that contradicts its symbol), is reported with its file and line and what to
change; the other parts and exams still load.
"""

from __future__ import annotations

import difflib
import functools
import importlib.util
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from derive.errors import ProblemDefinitionError, ProblemLoadError, UnknownProblemError

if TYPE_CHECKING:   # the model imports SymPy; finding the problems directory must not
    from derive.problem import Exam, Part


@dataclass(frozen=True)
class Inventory:
    """The exams that loaded and the load errors of those that did not."""

    exams: tuple[Exam, ...]
    errors: tuple[ProblemLoadError | ProblemDefinitionError, ...]

    def exam(self, exam_id: str) -> Exam:
        for exam in self.exams:
            if exam.id == exam_id:
                return exam
        names = [exam.id for exam in self.exams]
        close = difflib.get_close_matches(exam_id, names, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; known exams: {', '.join(names)}"
        raise UnknownProblemError(f"no exam '{exam_id}'{hint}")

    def select(self, ids: list[str]) -> list[tuple[Exam, Part]]:
        """Parts named by `exam` or `exam/part` ids, in inventory order."""
        chosen = []
        for wanted in ids:
            exam_id, _, part_id = wanted.partition("/")
            exam = self.exam(exam_id)
            parts = exam.parts if not part_id else [_part(exam, part_id)]
            chosen.extend((exam, part) for part in parts)
        return chosen

    def all_parts(self) -> list[tuple[Exam, Part]]:
        return [(exam, part) for exam in self.exams for part in exam.parts]


def _part(exam: Exam, part_id: str) -> Part:
    try:
        return exam.part(part_id)
    except KeyError:
        names = [part.id for part in exam.parts]
        close = difflib.get_close_matches(part_id, names, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; parts: {', '.join(names)}"
        raise UnknownProblemError(f"exam '{exam.id}' has no part '{part_id}'{hint}") from None


def default_root() -> Path:
    """`$DERIVE_PROBLEMS`, else `./problems`, else the `problems/` beside this checkout."""
    if os.environ.get("DERIVE_PROBLEMS"):
        return Path(os.environ["DERIVE_PROBLEMS"])
    here = Path.cwd() / "problems"
    if here.is_dir():
        return here
    return Path(__file__).resolve().parent.parent / "problems"


def load(root: Path | None = None) -> Inventory:
    """Load every exam under `root`; collect, do not raise, per-exam load errors.

    Loaded once per process for an unchanged tree (the command line and the runner both ask).
    """
    root = Path(root or default_root())
    if not root.is_dir():
        raise ProblemLoadError(f"no problems directory at {root}")
    return _load(root, _tree_state(root))


def _tree_state(root: Path) -> tuple:
    """What a reload depends on: every encoding file's path, size and modification time."""
    files = sorted(path for pattern in ("*/exam.toml", "*/p*.py", "shared/*.py")
                   for path in root.glob(pattern))
    return tuple((str(path), path.stat().st_size, path.stat().st_mtime_ns) for path in files)


@functools.lru_cache(maxsize=8)
def _load(root: Path, state: tuple) -> Inventory:
    exams, errors = [], []
    _make_shared_importable(root)
    for directory in sorted(path for path in root.iterdir() if (path / "exam.toml").is_file()):
        try:
            exam, broken = _exam_and_errors(directory)
        except (ProblemLoadError, ProblemDefinitionError) as error:
            errors.append(error)
            continue
        exams.append(exam)
        errors.extend(broken)
    return Inventory(tuple(exams), tuple(errors))


def _make_shared_importable(root: Path) -> None:
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))


def load_exam(directory: Path) -> Exam:
    """Load one exam directory, every part of it.

    Raises:
        ProblemLoadError: exam.toml or a part module could not be read (names the file).
        ProblemDefinitionError: a part's encoding is wrong (names file and line), duplicate
            part ids or a malformed exam.toml.
    """
    exam, errors = _exam_and_errors(directory)
    if errors:
        raise errors[0]
    return exam


def _exam_and_errors(directory: Path) -> tuple[Exam, list[ProblemLoadError | ProblemDefinitionError]]:
    """The exam with the parts that loaded, and the errors of the modules and parts that did not."""
    from derive.problem import Exam

    meta = _read_toml(directory / "exam.toml")
    parts: list[Part] = []
    errors: list[ProblemLoadError | ProblemDefinitionError] = []
    for module_path in sorted(directory.glob("p*.py"), key=_module_order):
        try:
            parts.extend(_valid_parts(_load_parts(module_path), errors))
        except (ProblemLoadError, ProblemDefinitionError) as error:
            errors.append(error)
    ids = [part.id for part in parts]
    duplicates = sorted({part_id for part_id in ids if ids.count(part_id) > 1})
    if duplicates:
        raise ProblemDefinitionError(f"{directory}: duplicate part ids {duplicates}; "
                                     "give every part of an exam its own id")
    try:
        exam = Exam(id=directory.name, title=meta["title"], source=meta["source"], parts=tuple(parts),
                    solution=directory / meta.get("solution", "solution.md"), directory=directory)
        return exam, errors
    except KeyError as missing:
        raise ProblemDefinitionError(f"{directory / 'exam.toml'}: missing key {missing}") from None


def _valid_parts(parts: tuple[Part, ...], errors: list) -> list[Part]:
    """The parts whose encoding is right; the errors of the others are appended to `errors`."""
    from derive.validation import validate_part

    valid = []
    for part in parts:
        try:
            validate_part(part)
        except ProblemDefinitionError as error:
            errors.append(error)
            continue
        valid.append(part)
    return valid


def _module_order(path: Path):
    stem = path.stem.split("_")[0][1:]
    return (int(stem) if stem.isdigit() else 10**6, path.name)


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ProblemLoadError(f"{path}: {error}") from error


def _load_parts(path: Path) -> tuple[Part, ...]:
    from derive.problem import Part

    name = "derive_problems." + "_".join(path.with_suffix("").parts[-2:]).replace("-", "_").replace(".", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module   # dataclasses and pickling look modules up by name
    try:
        spec.loader.exec_module(module)   # our own encodings, never solution text
    except ProblemDefinitionError:   # already names its file and line
        sys.modules.pop(name, None)
        raise
    except Exception as error:  # a broken module must not stop the others: report it by path
        sys.modules.pop(name, None)
        raise ProblemLoadError(f"{_error_line(path, error)}: {type(error).__name__}: {error}") from error
    parts = getattr(module, "PARTS", None)
    if not isinstance(parts, tuple) or not all(isinstance(part, Part) for part in parts):
        raise ProblemLoadError(f"{path}: expected PARTS = (Part(...), ...), a tuple of the "
                               "module's parts (mind the trailing comma of a single part)")
    return parts


def _error_line(path: Path, error: BaseException) -> str:
    """"path:line" of the deepest frame of the error inside the module (or the file that
    failed to compile), so that the message points at the line to change."""
    if isinstance(error, SyntaxError) and error.lineno:
        return f"{error.filename or path}:{error.lineno}"
    line = None
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == str(path):
            line = trace.tb_lineno
        trace = trace.tb_next
    return f"{path}:{line}" if line else str(path)
