"""A whole run's results, keyed by every byte that can decide them.

The part cache (`derive.cache`) still has to load the encodings to compute its keys, and that
means importing SymPy and executing every problem module. When nothing has changed since the
last run (the common case for a CI gate or a pre-commit hook), even that is wasted: this memo
keys the complete list of results by the engine fingerprint, the problems tree (its path and
every file in it), the solution files named on the command line, and the command's own
inputs. A hit prints the stored results without importing SymPy; any changed byte is a miss,
and the run falls back to the part cache, which rechecks only the parts whose inputs changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from derive import cache
from derive.verdict import PartResult


def key(command: str, root: Path, selection: Sequence[str], solutions: Sequence[Path],
        seed: int) -> str:
    """The key of one run: `command` over `selection` of the exams under `root`.

    Raises:
        OSError: a solution file cannot be read (the run itself then reports it).
    """
    digest = hashlib.sha256()
    # Paths as given and resolved: results name solution files by the path they were read from.
    digest.update(json.dumps([cache.engine_fingerprint(), command, list(selection), seed,
                              str(root), str(root.resolve())]).encode())
    for path in _tree_files(root):
        _add_file(digest, path.relative_to(root).as_posix(), path)
    for path in solutions:
        _add_file(digest, f"{path}\0{Path(path).resolve()}", Path(path))
    return digest.hexdigest()


def _tree_files(root: Path) -> list[Path]:
    """Every file an encoding may read; bytecode caches and hidden files are not inputs."""
    return sorted(path for path in root.rglob("*") if path.is_file()
                  and "__pycache__" not in path.parts
                  and not any(part.startswith(".") for part in path.relative_to(root).parts))


def _add_file(digest, name: str, path: Path) -> None:
    content = path.read_bytes()
    digest.update(f"{name}\0{len(content)}\0".encode())
    digest.update(content)


def load(directory: Path, run_key: str) -> list[PartResult] | None:
    """The stored results of a run, or None when there are none (or the entry is broken)."""
    return cache.read_entry(directory / f"run-{run_key}.json", _results)


def _results(data: dict) -> list[PartResult]:
    return [cache.result_from_json(entry) for entry in data["results"]]


def store(directory: Path, run_key: str, results: Sequence[PartResult]) -> None:
    """Keep a run's results, unless one of them is an internal error (worth retrying)."""
    if any(result.error for result in results):
        return
    cache.write_entry(directory / f"run-{run_key}.json",
                      {"results": [cache.result_to_json(result) for result in results]})
