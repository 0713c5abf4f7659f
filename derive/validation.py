"""Load-time validation of an encoded part: every mistake of an encoding is found when the exam
loads, as a message naming the file, the line and what to change, never as an internal error
while a solution is being checked.

`validate_part` checks the shapes (an answer is an `Answer`, a domain maps symbols to ranges),
reads every answer target in the part's notation with the grammar the solution files go
through, and checks that each domain agrees with its symbol's assumptions.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import replace

import sympy

from derive.domain import IntegerRange, Interval
from derive.errors import LatexParseError, ProblemDefinitionError
from derive.notation import Notation, TensorSpec
from derive.problem import Answer, Check, Erratum, ExpectedStep, Kind, Option, Part
from derive.verdict import Outcome


def validate_part(part: Part) -> None:
    """Raise `ProblemDefinitionError` at the first encoding mistake of `part`.

    The message begins with the "file:line" where the part (or its answer) was built.
    """
    where = f"{part.defined_at}: part {part.id}"
    for problem in _problems(part):
        raise ProblemDefinitionError(f"{where}: {problem}")


def _problems(part: Part):
    """Every mistake found, as 'what is wrong; what to change' (a generator: first wins)."""
    if not isinstance(part.id, str) or not part.id:
        yield f"the id must be a non-empty string like '1a', not {part.id!r}"
    if not isinstance(part.kind, Kind):
        yield f"kind {part.kind!r} is not a Kind; use one of {', '.join(k.name for k in Kind)}"
    if not isinstance(part.notation, Notation):
        yield "notation must be a Notation; build it with Notation.of(symbols={...}, ...)"
        return
    yield from _notation_problems(part.notation)
    yield from _domain_problems(part.domain, part.notation)
    yield from _answer_problems(part)
    yield from _typed("checks", part.checks, Check, "Check(name, run)", "run")
    yield from _typed("options", part.options, Option, "Option(label, claim, decide)", "decide")
    yield from _erratum_problems(part)
    for symbol in part.small:
        if not isinstance(symbol, sympy.Symbol):
            yield f"small holds {symbol!r}; list the symbols a stated \\approx is first-order in"
    if part.kind is Kind.EQUATIONS and not any(getattr(c, "reads_solution", False) for c in part.checks):
        yield ("a part of kind equations treats every stated line as program text, and no check "
               "of it reads the solution (Check(..., reads_solution=True)); give it one that "
               "executes the lines, or use Kind.EXPRESSION / Kind.CLAIM to compare them")


def _typed(field: str, items, kind: type, spelled: str, callable_field: str):
    if not isinstance(items, tuple):
        yield f"{field} must be a tuple, e.g. {field}=({spelled},) (mind the trailing comma)"
        return
    for item in items:
        if not isinstance(item, kind):
            yield f"{field} holds {item!r}; each must be {spelled}"
        elif not callable(getattr(item, callable_field)):
            yield f"{field}: {callable_field} of {item!r} is not callable; pass the function itself"


# ---- notation ---------------------------------------------------------------------------------

_CALLABLE_TABLES = ("functions", "sequences", "distributions")


def _eager_items(table: Mapping):
    """The entries of a plain dict; none of a lazy mapping (one that derives a value when it
    is looked up is the encoding's deliberate choice, and loading must not run it)."""
    return table.items() if type(table) is dict else ()


def _notation_problems(notation: Notation):
    for key, value in _eager_items(notation.symbols):
        if not isinstance(value, (sympy.Basic, int, float)):
            yield (f"notation symbol '{key}' means {value!r}; give a SymPy symbol or value "
                   "(sympy.Symbol('x', positive=True), sympy.Rational(1, 2))")
    for table in _CALLABLE_TABLES:
        for key, value in _eager_items(getattr(notation, table)):
            if not callable(value):
                yield f"notation {table} entry '{key}' is {value!r}; give a function (a callable)"
    for key, bounds in _eager_items(notation.index_ranges):
        if not (isinstance(bounds, tuple) and len(bounds) == 2):
            yield f"index range of '{key}' is {bounds!r}; give (low, high), both included"
    for key, spec in _eager_items(notation.tensors):
        if not isinstance(spec, TensorSpec):
            yield f"tensor '{key}' is {spec!r}; give TensorSpec(axes=('K', 'I', ...))"
        elif missing := [axis for axis in spec.axes if axis not in notation.sizes]:
            yield (f"tensor '{key}' has axes {', '.join(missing)} with no size; "
                   f"add sizes={{{', '.join(repr(a) + ': 3' for a in missing)}}} to the notation")
    if notation.default_distribution and notation.default_distribution not in notation.distributions:
        yield (f"default_distribution '{notation.default_distribution}' is not one of the "
               f"notation's distributions ({', '.join(notation.distributions) or 'none'})")


# ---- domain -----------------------------------------------------------------------------------

def _domain_problems(domain, notation: Notation):
    if not isinstance(domain, Mapping):
        yield "domain must be a dict {symbol: Interval(lo, hi) or IntegerRange(lo, hi)}"
        return
    declared = _declared_symbols(notation)
    for symbol, where in domain.items():
        if not isinstance(symbol, sympy.Symbol):
            yield f"domain key {symbol!r} is not a SymPy symbol; key it by the notation's symbol"
            continue
        if not isinstance(where, (Interval, IntegerRange)):
            yield f"domain of {symbol} is {where!r}; give Interval(lo, hi) or IntegerRange(lo, hi)"
            continue
        twin = declared.get(symbol.name)
        if twin is not None and twin != symbol:
            yield (f"the domain's {symbol} ({_assumptions(symbol)}) is not the notation's "
                   f"{twin} ({_assumptions(twin)}); use the same Symbol object in both")
        yield from _range_problems(symbol, where)


def _declared_symbols(notation: Notation) -> dict[str, sympy.Symbol]:
    found = {}
    for _, value in _eager_items(notation.symbols):
        if isinstance(value, sympy.Basic):
            found.update((symbol.name, symbol) for symbol in value.free_symbols
                         if isinstance(symbol, sympy.Symbol))
    return found


def _assumptions(symbol: sympy.Symbol) -> str:
    facts = [name for name in ("positive", "nonnegative", "negative", "integer", "real")
             if symbol.assumptions0.get(name)]
    return ", ".join(facts) or "no assumptions"


def _range_problems(symbol: sympy.Symbol, where):
    if isinstance(where, Interval) and symbol.is_integer:
        yield f"{symbol} is an integer symbol but its domain is an Interval; use IntegerRange(lo, hi)"
    low = where.lo
    if symbol.is_positive and low < 0 or symbol.is_nonnegative and low < 0:
        yield (f"the domain of {symbol} starts at {low} but {symbol} is declared "
               f"{_assumptions(symbol)}; start it at a value the assumptions allow")
    if symbol.is_negative and where.hi > 0:
        yield f"the domain of {symbol} reaches {where.hi} but {symbol} is declared negative"


# ---- answers and errata -----------------------------------------------------------------------

def _answer_problems(part: Part):
    if not isinstance(part.answers, tuple):
        yield "answers must be a tuple, e.g. answers=(Answer(r'\\lambda^*', derive),)"
        return
    seen = set()
    for answer in part.answers:
        if not isinstance(answer, Answer):
            yield f"answers holds {answer!r}; each must be Answer(target, derive)"
            continue
        problem = _target_problem(answer, part.notation)
        if problem:
            yield f"{problem} (the answer at {answer.defined_at})"
        elif answer.target in seen:
            yield f"two answers have the target {answer.target}; give each quantity one Answer"
        seen.add(answer.target)


def _target_problem(answer: Answer, notation: Notation) -> str:
    if not isinstance(answer.target, str) or not answer.target.strip():
        return f"an answer's target must be the LaTeX of the quantity, not {answer.target!r}"
    if not callable(answer.derive):
        return f"the derive of answer {answer.target} is not callable; pass the function, not its value"
    from derive.latex import read

    try:
        reading = read(answer.target, _names_only(notation))
    except LatexParseError as error:
        return f"answer target cannot be read: {error}"
    if reading.relations:
        return (f"answer target {answer.target} states a relation; the target is the quantity "
                "alone (write r'\\eta', and let the answer's derive return the set or value)")
    if isinstance(reading.sides[0], sympy.Symbol) and reading.undeclared:
        return _near_miss(answer.target, str(reading.sides[0]), notation)
    if reading.undeclared:
        # A bare name (`y`, `\\lambda^*`) may be a new unknown; inside an expression, an
        # undeclared name is a misspelling or a missing declaration.
        names = ", ".join(sorted(reading.undeclared))
        return (f"answer target {answer.target} uses {names}, which the notation does not declare; "
                "fix the spelling or declare it in Notation.of(symbols=..., functions=...)")
    return ""


_DECORATION = re.compile(r"(\^\*|'+|_.*|\^.*)$")


def _base(key: str) -> str:
    """The name without its decorations and scripts: `lambda^*` -> `lambda`."""
    return _DECORATION.sub("", key)


def _near_miss(target: str, key: str, notation: Notation) -> str:
    """A new unknown whose name is a near miss of a declared one is a misspelling."""
    declared = {_base(name) for table in (notation.symbols, notation.functions, notation.sequences)
                for name in table}
    base = _base(key)
    if base in declared:
        return ""   # a decoration of a declared name (`\\lambda^*` beside `\\lambda`)
    close = difflib.get_close_matches(base, sorted(declared), n=1, cutoff=0.75)
    if not close:
        return ""
    return (f"answer target {target} names '{base}', which the notation does not declare; "
            f"did you mean '{close[0]}'? (fix the spelling, or declare the new name)")


def _names_only(notation: Notation) -> Notation:
    """The notation with every function, sequence and distribution an unevaluated SymPy
    function of the same name: reading a target then checks its syntax and its names without
    running the derivations behind them (that is the check's work, not the load's)."""
    def stub(key):
        return sympy.Function(key)

    def expectation(key):
        return lambda variable, body: sympy.Function(f"E_{key}")(variable, body)

    symbols = notation.symbols
    if type(symbols) is not dict:   # a lazy mapping derives on look-up: stand-ins instead
        symbols = {key: sympy.Symbol(key) for key in symbols}
    return replace(notation, symbols=symbols,
                   functions={key: stub(key) for key in notation.functions},
                   sequences={key: stub(key) for key in notation.sequences},
                   distributions={key: expectation(key) for key in notation.distributions})


def _erratum_problems(part: Part):
    erratum = part.erratum
    if erratum is None:
        return
    if not isinstance(erratum, Erratum):
        yield f"erratum must be an Erratum(explanation, steps=(ExpectedStep(...),)), not {erratum!r}"
        return
    if not isinstance(erratum.explanation, str) or not erratum.explanation.strip():
        yield "the erratum needs an explanation: what the source got wrong and the correct result"
    if not isinstance(erratum.steps, tuple):
        yield "the erratum's steps must be a tuple: steps=(ExpectedStep(line, outcome),)"
        return
    checks = {check.name for check in part.checks if isinstance(check, Check)}
    for step in erratum.steps:
        yield from _expected_step_problems(step, checks)


def _expected_step_problems(step, checks: set[str]):
    if not isinstance(step, ExpectedStep):
        yield f"the erratum's steps hold {step!r}; each must be ExpectedStep(line fragment, outcome)"
        return
    if not isinstance(step.line, str) or not step.line.strip():
        yield "an ExpectedStep needs a fragment of the key's line (or 'check:<name>')"
    elif step.line.startswith("check:") and step.line.removeprefix("check:") not in checks:
        yield (f"the erratum expects '{step.line}', but the part has no check of that name; "
               f"its checks: {', '.join(sorted(checks)) or 'none'}")
    if not isinstance(step.outcome, Outcome) or step.outcome.is_success:
        yield (f"an ExpectedStep expects a failure (Outcome.REFUTED, UNPARSED or INCONCLUSIVE), not "
               f"{step.outcome!r}; a step that passes needs no erratum")
