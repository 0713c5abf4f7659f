"""derive: checks the mathematics in deep-learning exam solutions.

The public names are imported on first use (module `__getattr__`), so `import derive` stays
cheap: SymPy loads only when a model or notation class is asked for.
"""

from __future__ import annotations

import importlib

_HOMES = {
    "derive.verdict": ("Outcome", "Witness", "Decision", "StepVerdict", "PartResult"),
    "derive.notation": ("Notation",),
    "derive.problem": ("Part", "Exam", "Answer", "Check", "Erratum", "Kind", "Option"),
    "derive.notebook": ("show", "overview"),
    "derive.errors": ("DeriveError", "LatexParseError", "SolutionFormatError", "ProblemLoadError"),
    "derive.api": ("read", "equiv"),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    """Import a public name from its home module on first use."""
    try:
        module = _MODULE_OF[name]
    except KeyError:
        # AttributeError, not KeyError: `from derive import engine` relies on it to fall back
        # to importing the submodule.
        raise AttributeError(f"module 'derive' has no attribute '{name}'") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value   # cache: later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
