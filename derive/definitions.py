"""A solution's own names: `Z = \\sum_i e^{-\\beta i}` defines Z for the lines after it.

A chain defines a name when its first link is `name = value`, the name is bare (a symbol the
part's notation does not declare), is not one of the part's answers (`\\lambda^*`, whose value
is checked, not assumed), was not used in an earlier line (a name used before it is defined
was already an unknown there), and its value does not use the name itself. Later lines read
the name as that value, so `P(i) = e^{-\\beta i} / Z` is checked with Z's value, never with
a free variable sampled at random. A name cannot be defined twice: once defined it is a name
of the notation, and a second `Z = ...` is an identity to check.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import sympy
from sympy.core.function import AppliedUndef

from derive.latex.names import loose_key
from derive.notation import Notation
from derive.verdict import Decision, Outcome

if TYPE_CHECKING:
    from derive.chains import Chain, Side


class Definitions:
    """The notation a part's lines are read in, grown by the names the solution defines."""

    def __init__(self, notation: Notation, targets: frozenset[str] = frozenset()):
        self.notation = notation
        self.targets = frozenset(targets) | frozenset(map(loose_key, targets))
        self.names: dict[str, sympy.Basic] = {}   # name -> value, in the order defined
        self._used: set[str] = set()              # undeclared names of earlier lines
        self.named: set[str] = set()              # names inside a named quantity's left side

    def define(self, chain: "Chain") -> str:
        """The name the chain's first link defines ("" when it defines none); from here on
        the notation reads that name as its value."""
        name = self._defined_name(chain)
        head = chain.sides[0].value if chain.sides else None
        if name and isinstance(head, sympy.Symbol) and name == head.name:
            value = chain.sides[1].value
            self.names[name] = value
            self.notation = replace(self.notation, symbols={**self.notation.symbols, name: value})
        return name

    def seen(self, sides: "list[Side]") -> None:
        """Record the undeclared names a line used: a later `name = ...` does not define them."""
        for side in sides:
            self._used |= side.undeclared

    def _defined_name(self, chain: "Chain") -> str:
        if len(chain.sides) < 2 or chain.relations[0] != "=":
            return ""
        left, right = chain.sides[0], chain.sides[1]
        if left.applied:   # `\\phi(1) = 2`: a value of the file's own function, not phi
            self.named |= set(left.applied)
            return left.text
        if not isinstance(left.value, sympy.Symbol):
            return self._named_quantity(left, right)
        name = left.value.name
        if (name not in left.undeclared or loose_key(name) in self.targets or name in self._used
                or name in self.names):
            return ""
        if not isinstance(right.value, (sympy.Basic, sympy.MatrixBase)):
            return ""
        if left.value in getattr(right.value, "free_symbols", ()):
            return ""   # `x = x + 1` is an equation in x, not a definition
        return name

    def _named_quantity(self, left: "Side", right: "Side") -> str:
        """`\\mathrm{Var}(u) = p(1-p)` where the part knows neither Var nor u: the file's own
        name for the value after it. It is not checked (nothing gives it a meaning); the
        links after it are. Its names are not defined for later lines."""
        free = {symbol.name for symbol in getattr(left.value, "free_symbols", ())}
        if _names_an_undeclared_function(left):
            free = {_function_name(left.value)}   # `\partial H / \partial \lambda` for an H the part lacks
        elif not free or not free <= left.undeclared:
            return ""
        if free & (self.targets | self._used):
            return ""
        if free & {symbol.name for symbol in getattr(right.value, "free_symbols", ())}:
            return ""
        self.named |= free
        return left.text


def _function_name(value) -> str:
    inner = value.expr if isinstance(value, sympy.Derivative) else value
    return str(inner.func)


def _names_an_undeclared_function(side: "Side") -> bool:
    r"""An undeclared function at a declared variable, or its derivative (`H(\lambda)`,
    `\frac{\partial H}{\partial \lambda}`): a name of the file's own, like a bare name."""
    value = side.value
    inner = value.expr if isinstance(value, sympy.Derivative) else value
    return isinstance(inner, AppliedUndef) and str(inner.func) in side.undeclared


def undecidable_names(decision: Decision, sides) -> Decision:
    """A step that could not be decided because it is about names the file never defined
    (`\\mathrm{Var}(u) \\le 1/4` where the part knows neither): a claim about the file's own
    quantity, listed as not checked with the names, not an inconclusive check. A timeout stays
    inconclusive."""
    if decision.outcome is not Outcome.INCONCLUSIVE or decision.method.startswith("timeout"):
        return decision
    names = set()
    for side in sides:
        value = side.value
        used = {symbol.name for symbol in getattr(value, "free_symbols", ())}
        used |= {str(call.func) for call in getattr(value, "atoms", lambda *_: ())(AppliedUndef)}
        names |= used & side.undeclared
    if not names:
        return decision
    return Decision(Outcome.PROSE, "undeclared",
                    message=f"about {', '.join(sorted(names))}, which this part does not define: "
                            "not checked")


def applied_guard(decision: Decision, sides) -> Decision:
    """A step over `g(0)` or `\\sigma(y)` where the part declares no g or sigma and the file
    does not define it: read as a product, which may not be what was meant (`g(0) = 0` would be
    proved, `\\sigma(0) = 1/2` refuted, both for g times 0). Decided nothing: unparsed, naming
    the name."""
    names = sorted(set().union(*(side.applied for side in sides)))
    if not names or decision.outcome not in (Outcome.PROVED, Outcome.AGREES, Outcome.REFUTED):
        return decision
    listed = ", ".join(names)
    return Decision(Outcome.UNPARSED, "undeclared", message=(
        f"'{listed}' before parentheses is not a function of this part and the file does not "
        f"define it: a function applied, or a product? Define it first ({names[0]}(y) = ...) or "
        "write the product with \\cdot"))


def undeclared_guard(decision: Decision, sides, target_keys) -> Decision:
    """A refutation over a name the file never defined is no refutation: the witness would
    sample an invented variable. Such a step is unparsed, naming the name."""
    if decision.outcome is not Outcome.REFUTED:
        return decision
    names = set()
    for side in sides:
        free = {symbol.name for symbol in getattr(side.value, "free_symbols", ())}
        names |= (free & side.undeclared) - target_keys
    if not names:
        return decision
    listed = ", ".join(sorted(names))
    return Decision(Outcome.UNPARSED, "undeclared",
                    message=f"'{listed}' is not a name of this part and the file does not define "
                            "it before this line (write `name = value` first); the step cannot "
                            "be decided")
