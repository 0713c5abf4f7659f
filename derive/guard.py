"""Reading one stated line under its limits: untrusted text must not take the part down.

A stated line reaches SymPy through the grammar, and SymPy may still fail on what it is
given (`\\begin{bmatrix}...\\end{bmatrix} + 1`, a matrix to a huge power), recurse too deep, run
out of memory or time. None of that is a bug of the checker or a verdict on the mathematics:
it makes that line `unparsed`, with its file:line and the reason, and the part goes on.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from derive.compare.timeout import time_limit
from derive.errors import CheckTimeout, LatexParseError
from derive.latex.exact_limits import ExactLimitError
from derive.limits import READ_SECONDS

# What SymPy raises on mathematics it cannot build (its polys errors are ValueErrors).
_SYMPY_FAILURES = (TypeError, ValueError, AttributeError, NotImplementedError, ArithmeticError,
                   IndexError, KeyError, RecursionError, MemoryError)


@contextmanager
def reading(text: str, seconds: float = READ_SECONDS) -> Iterator[None]:
    """Read a line of `text` in the block; any failure of it becomes a `LatexParseError`.

    Raises:
        LatexParseError: the grammar or the notation could not read the line, SymPy failed on
            it, or reading took longer than `seconds`.
    """
    try:
        with time_limit(seconds):
            yield
    except LatexParseError:
        raise
    except CheckTimeout:
        raise LatexParseError(text, 1, f"reading this line took longer than {seconds:g} s "
                                       "(a value too large to compute?)") from None
    except ExactLimitError as error:
        raise LatexParseError(text, 1, str(error)) from None
    except _SYMPY_FAILURES as error:
        raise LatexParseError(text, 1, f"this line has no value SymPy can compute "
                                       f"({type(error).__name__}: {_short(error)})") from None


def _short(error: BaseException) -> str:
    message = str(error)
    return message if len(message) <= 200 else message[:199] + "…"
