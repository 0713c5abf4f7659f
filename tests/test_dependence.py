"""derive/dependence.py: a link whose sides lost what the answer depends on is flagged."""

from __future__ import annotations

import pytest
import sympy

from derive.dependence import along_columns, flag_vacuous, on_symbol
from derive.verdict import Decision, Outcome

x, y = sympy.symbols("x y")
PROVED = Decision(Outcome.PROVED, "expand")


@pytest.mark.parametrize("left, right, outcome", [
    pytest.param(x + 1, 1 + x, Outcome.PROVED, id="both-depend"),
    pytest.param(x * 0 + y, y, Outcome.INCONCLUSIVE, id="neither-depends"),
    pytest.param(x, x, Outcome.PROVED, id="identity-in-x"),
])
def test_a_link_without_the_variable_is_flagged(left, right, outcome):
    decision = flag_vacuous(left, right, (on_symbol(x),), PROVED)
    assert decision.outcome is outcome
    if outcome is Outcome.INCONCLUSIVE:
        assert "neither side depends on x" in decision.message


def test_a_refuted_link_stays_refuted():
    refuted = Decision(Outcome.REFUTED, "numeric")
    assert flag_vacuous(y, y + 1, (on_symbol(x),), refuted) is refuted


@pytest.mark.parametrize("matrix, depends", [
    pytest.param(sympy.Matrix([[x, y], [y, x]]), True, id="columns-differ"),
    pytest.param(sympy.Matrix([[x, x], [y, y]]), False, id="constant-rows"),
    pytest.param(sympy.Matrix([[sympy.exp(x) / (2 * sympy.exp(x))] * 2]), False, id="uniform-softmax"),
])
def test_dependence_along_columns(matrix, depends):
    assert along_columns("t_2").test(matrix) is depends
