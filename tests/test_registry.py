"""Load-time validation: every encoding mistake is a message with file, line and what to change,
found when the exam loads; the other parts and exams still load."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from derive.registry import load

HEADER = '''
import sympy

from derive.domain import IntegerRange, Interval
from derive.notation import Notation
from derive.problem import Answer, Check, Erratum, ExpectedStep, Kind, Part
from derive.verdict import Decision, Outcome

eta = sympy.Symbol("eta", positive=True)
a = sympy.Symbol("a", positive=True)
NOTATION = Notation.of(symbols={r"\\eta": eta, "a": a}, functions={"f": lambda u: u**2})
'''

GOOD = 'Part("ok", Kind.EXPRESSION, "fine", NOTATION, {eta: Interval(0.1, 1)}, answers=(Answer("y", lambda: eta),))'


def _tree(tmp_path: Path, part_source: str) -> Path:
    exam = tmp_path / "problems" / "demo"
    exam.mkdir(parents=True)
    (exam / "exam.toml").write_text('title = "Demo"\nsource = "demo.txt"\n')
    (exam / "p1_good.py").write_text(HEADER + f"PARTS = ({GOOD},)\n")
    (exam / "p2_bad.py").write_text(HEADER + "PARTS = (\n    " + part_source + ",\n)\n")
    return tmp_path / "problems"


@pytest.mark.parametrize("part_source, message", [
    pytest.param('Part("1", Kind.EXPRESSION, "q", NOTATION, {}, answers=(Answer(r"\\etta^*", lambda: eta),))',
                 "answer target cannot be read", id="misspelled-target"),
    pytest.param('Part("1", Kind.EXPRESSION, "q", NOTATION, {}, answers=(Answer(r"\\frac{1}{", lambda: eta),))',
                 "answer target cannot be read", id="target-that-does-not-parse"),
    pytest.param('Part("1", Kind.EXPRESSION, "q", NOTATION, {}, answers=(Answer(r"f(q)", lambda: eta),))',
                 "which the notation does not declare", id="undeclared-name-in-target"),
    pytest.param('Part("1", Kind.EXPRESSION, "q", NOTATION, {}, answers=(Answer(r"\\eta < 1", lambda: eta),))',
                 "states a relation", id="target-is-a-relation"),
    pytest.param('Part("1", Kind.EXPRESSION, "q", NOTATION, {}, answers=(Answer(r"\\eta", eta),))',
                 "not callable", id="derive-not-callable"),
    pytest.param('Part("1", Kind.EXPRESSION, "q", NOTATION, {}, answers=Answer(r"\\eta", lambda: eta))',
                 "answers must be a tuple", id="answers-not-a-tuple"),
    pytest.param('Part("1", Kind.EXPRESSION, "q", NOTATION, {sympy.Symbol("eta"): Interval(0.1, 1)}, '
                 'answers=(Answer("y", lambda: eta),))', "use the same Symbol object", id="domain-twin-symbol"),
    pytest.param('Part("1", Kind.EXPRESSION, "q", NOTATION, {eta: Interval(-1, 1)}, '
                 'answers=(Answer("y", lambda: eta),))', "declared positive", id="domain-against-assumption"),
    pytest.param('Part("1", Kind.EXPRESSION, "q", NOTATION, {eta: (0, 1)}, answers=(Answer("y", lambda: eta),))',
                 "give Interval(lo, hi)", id="domain-not-a-range"),
    pytest.param('Part("1", Kind.EXPRESSION, "q", Notation.of(symbols={"x": "x"}), {}, '
                 'answers=(Answer("y", lambda: eta),))', "give a SymPy symbol", id="notation-symbol-a-string"),
    pytest.param('Part("1", Kind.EXPRESSION, "q", Notation.of(functions={"g": 3}), {}, '
                 'answers=(Answer("y", lambda: eta),))', "give a function", id="notation-function-not-callable"),
    pytest.param('Part("1", Kind.EQUATIONS, "q", NOTATION, {}, answers=(Answer("y", lambda: eta),))',
                 "reads_solution=True", id="equations-without-a-program-check"),
    pytest.param('Part("1", Kind.EXPRESSION, "q", NOTATION, {})', "needs something to decide",
                 id="nothing-to-decide"),
    pytest.param('Part("1", "expression", "q", NOTATION, {}, answers=(Answer("y", lambda: eta),))',
                 "is not a Kind", id="kind-as-a-string"),
    pytest.param('Part("1", Kind.EXPRESSION, "q", NOTATION, {}, answers=(Answer("y", lambda: eta),), '
                 'erratum=Erratum("why", (ExpectedStep("check:simulaton"),)), '
                 'checks=(Check("simulation", lambda seed: Decision(Outcome.PROVED, "x")),))',
                 "has no check of that name", id="erratum-names-a-missing-check"),
    pytest.param('Part("1", Kind.EXPRESSION, "q", NOTATION, {}, answers=(Answer("y", lambda: eta),), '
                 'erratum=Erratum("why", (ExpectedStep("y = 1", Outcome.PROVED),)))',
                 "expects a failure", id="erratum-expects-success"),
    pytest.param('Part("1", Kind.EXPRESSION, "q", NOTATION, {}, answers=(Answer("y", lambda: eta),), '
                 'erratum=Erratum("why", ("y = 1",)))', "each must be ExpectedStep", id="erratum-step-a-string"),
])
def test_encoding_mistake_is_a_load_error_with_file_and_line(tmp_path, part_source, message):
    root = _tree(tmp_path, part_source)
    inventory = load(root)
    [error] = inventory.errors
    text = str(error)
    assert message in text
    bad = root / "demo" / "p2_bad.py"
    assert f"{bad}:" in text                          # the file, then the line of the part
    line = int(text.split(f"{bad}:")[1].split(":")[0])
    assert "Part(" in bad.read_text().splitlines()[line - 1] or "Answer(" in text
    # The other module of the same exam still loads.
    assert [part.id for part in inventory.exam("demo").parts] == ["ok"]


def test_module_that_raises_names_its_line(tmp_path):
    root = _tree(tmp_path, 'Part("1", Kind.PROSE, "q")')
    (root / "demo" / "p2_bad.py").write_text(HEADER + "\nVALUE = 1 / 0\nPARTS = ()\n")
    [error] = load(root).errors
    line = HEADER.count("\n") + 2
    assert f"p2_bad.py:{line}: ZeroDivisionError" in str(error)


def test_the_encoded_exams_load_without_errors():
    from support import ROOT

    assert load(ROOT).errors == ()


def test_a_correct_part_passes(tmp_path):
    root = _tree(tmp_path, textwrap.dedent('''\
        Part("1", Kind.EXPRESSION, "q", NOTATION, {eta: Interval(0.1, 1)},
             answers=(Answer(r"f(\\eta)", lambda: eta**2),))'''))
    inventory = load(root)
    assert inventory.errors == ()
    assert [part.id for part in inventory.exam("demo").parts] == ["ok", "1"]
