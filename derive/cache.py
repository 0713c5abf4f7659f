"""A disk cache of part results, keyed by a content hash of everything that decides them.

The key covers the engine's own source (so any change to the checker invalidates it), the
exam's encoding (its modules, exam.toml and the shared encodings), the part's stated text as
read from the solution file (with positions, which appear in messages), and the settings.
Entries are JSON, never pickles, and authenticated (`derive.cache_files`): a cache directory
may come from an untrusted checkout, and a forged entry must never turn a refuted step into a
pass.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar

from derive import cache_files
from derive.cache_files import default_directory
from derive.verdict import Outcome, PartResult, StepVerdict, Witness

CACHE_FORMAT = 2
T = TypeVar("T")


__all__ = ["default_directory", "engine_fingerprint", "key", "load", "store"]

# The libraries whose behaviour decides a verdict: an upgrade of any of them invalidates results.
ENGINE_LIBRARIES = ("sympy", "mpmath", "numpy", "lark", "markdown-it-py", "mdit-py-plugins")


@functools.cache
def engine_fingerprint() -> str:
    """A hash of the engine's source files and grammar, the Python and the library versions."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"format {CACHE_FORMAT}".encode())
    digest.update(repr((sys.version, _library_versions())).encode())
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".lark") and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.lru_cache(maxsize=64)
def _encoding_fingerprint(exam_directory: str, mtimes: tuple) -> str:
    directory = Path(exam_directory)
    digest = hashlib.sha256()
    for path in _encoding_files(directory):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _library_versions() -> tuple[str, ...]:
    from importlib.metadata import PackageNotFoundError, version

    versions = []
    for name in ENGINE_LIBRARIES:
        try:
            versions.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name} absent")
    return tuple(versions)


def _encoding_files(directory: Path) -> list[Path]:
    shared = directory.parent / "shared"
    files = sorted(directory.glob("p*.py")) + [directory / "exam.toml"]
    return files + (sorted(shared.glob("*.py")) if shared.is_dir() else [])


def encoding_fingerprint(exam_directory: Path) -> str:
    mtimes = tuple(path.stat().st_mtime_ns for path in _encoding_files(exam_directory))
    return _encoding_fingerprint(str(exam_directory), mtimes)


def key(exam_directory: Path, part_id: str, stated, settings) -> str:
    """The cache key of one part checked against one stated solution part (or None)."""
    stated_text = None if stated is None else [
        [(line.text, str(line.position)) for line in stated.lines],
        [(choice.text, choice.marked, str(choice.position)) for choice in stated.choices],
        list(stated.prose), str(stated.position)]
    material = json.dumps([engine_fingerprint(), encoding_fingerprint(exam_directory), part_id,
                           stated_text, repr(settings)], sort_keys=True, default=str)
    return hashlib.sha256(material.encode()).hexdigest()


def load(directory: Path, cache_key: str) -> PartResult | None:
    return read_entry(directory / f"{cache_key}.json", result_from_json)


def read_entry(path: Path, convert: Callable[[Any], T]) -> T | None:
    """An authenticated entry converted, or None when it is missing, forged or unreadable:
    recompute, never trust such a file."""
    data = cache_files.read(path)
    if data is None:
        return None
    try:
        return convert(data)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def store(directory: Path, cache_key: str, result: PartResult) -> None:
    if result.error:
        return   # an internal error is not a result worth keeping
    write_entry(directory / f"{cache_key}.json", result_to_json(result))


def write_entry(path: Path, data) -> None:
    """Write an authenticated entry atomically, best-effort (see `derive.cache_files`)."""
    cache_files.write(path, data)


def result_to_json(result: PartResult) -> dict:
    data = asdict(result)
    data["outcome"] = result.outcome.value
    data["expected"] = result.expected.value if result.expected else None
    data["steps"] = [dict(asdict(step), outcome=step.outcome.value,
                          expected=step.expected.value if step.expected else None)
                     for step in result.steps]
    return data


def result_from_json(data: dict) -> PartResult:
    steps = tuple(_step(step) for step in data.pop("steps"))
    data["outcome"] = Outcome(data["outcome"])
    data["expected"] = Outcome(data["expected"]) if data["expected"] else None
    data["stale_errata"] = tuple(data["stale_errata"])
    return PartResult(steps=steps, **data)


def _step(data: dict) -> StepVerdict:
    witness = data.pop("witness")
    if witness is not None:
        witness = Witness(tuple(tuple(pair) for pair in witness["point"]), witness["left"], witness["right"])
    expected = Outcome(data["expected"]) if data["expected"] else None
    return StepVerdict(witness=witness, **dict(data, outcome=Outcome(data["outcome"]), expected=expected))
