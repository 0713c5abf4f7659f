"""Sums written with an ellipsis: `h_0 + h_1 + \\dots + h_{t-1}` read as the sum its pattern shows.

The pattern is read from the text, not from values (`x^0` would evaluate to 1 and hide it):
the last two terms written before the dots must be the same LaTeX except for places that all
step by one integer amount (one term alone before the dots steps by 1 towards the term after): integers (`2`, `4`) or whole subscripts and superscripts read as
values (`x_1 y_2`, `x_2 y_3`; `x_t`, `x_{t-1}`; `h_{t-1}`, `h_{t-2}`). That gives the term as a
function of an index, upwards or downwards; every written term must be that term at its index,
and the term after the dots (`h_0`) names the last index, which must be a whole number of steps
from the first. A pattern that is not clear is never guessed: the line stays informal (an
`EllipsisError`: listed, not decided).
"""

from __future__ import annotations

import dataclasses

import sympy

from derive.errors import LatexParseError
from derive.latex import ast
from derive.latex.meaning import EllipsisError, Reader

_HOLE = "\u27e8j{}\u27e9"   # a letter no LaTeX spells: where the index goes in the term


@dataclasses.dataclass(frozen=True)
class Run:
    """The terms an ellipsis stands among: `term` at index = start, start + step, ..., end."""

    term: sympy.Expr
    index: sympy.Dummy
    start: sympy.Expr
    end: sympy.Expr
    step: int

    def as_sum(self) -> sympy.Sum:
        if self.step == 1:
            return sympy.Sum(self.term, (self.index, self.start, self.end))
        if self.step == -1:   # written downwards (`x_t + x_{t-1} + \\dots + x_1`): the same sum upwards
            return sympy.Sum(self.term, (self.index, self.end, self.start))
        counter = sympy.Dummy("k", integer=True)
        count = sympy.simplify((self.end - self.start) / self.step)
        return sympy.Sum(self.term.subs(self.index, self.start + self.step * counter), (counter, 0, count))

    def terms(self) -> list[sympy.Expr] | None:
        """Every term, when their number is a whole number no larger than MAX_LISTED_TERMS."""
        count = sympy.simplify((self.end - self.start) / self.step)
        if not (count.is_Integer and 0 <= count < MAX_LISTED_TERMS):
            return None
        return [self.term.subs(self.index, self.start + k * self.step) for k in range(int(count) + 1)]


MAX_LISTED_TERMS = 1000   # `\\max(x_1, \\dots, x_n)` is written out only for a known, modest n


class PatternReader(Reader):
    """A `Reader` that reads a sum or a list with an ellipsis as the terms it shows."""

    def _sum(self, node: ast.Sum):
        dots = [k for k, (_, term) in enumerate(node.terms) if _is_dots(term)]
        if not dots:
            return super()._sum(node)
        if len(dots) != 1:
            raise self._unclear(node, "more than one ellipsis in one sum")
        if any(sign != "+" for sign, _ in node.terms):
            raise self._unclear(node, "the terms must all be added")
        terms = [term for _, term in node.terms]
        return self._run(terms[:dots[0]], terms[dots[0] + 1:], node).as_sum()

    def listed(self, items, node) -> list:
        """The values of a list that may hold one ellipsis (`\\max(|w_1|, \\dots, |w_D|)`),
        written out term by term: the number of terms must be known."""
        dots = [k for k, item in enumerate(items) if _is_dots_item(item)]
        if not dots:
            return super().listed(items, node)
        if len(dots) != 1:
            raise self._unclear(node, "more than one ellipsis in one list")
        run = self._run(list(items[:dots[0]]), list(items[dots[0] + 1:]), node)
        terms = run.terms()
        if terms is None:
            raise self._unclear(node, f"the number of terms, {sympy.simplify((run.end - run.start) / run.step) + 1}, "
                                      "is not a known whole number")
        return terms

    def _run(self, written: list, later: list, node) -> Run:
        """The run of terms around the dots: the pattern from the written terms (two before the
        dots, or two after when one stands before), the end from the last term; every term
        written must be the pattern's term at its place."""
        if not written or not later:
            raise self._unclear(node, "the pattern needs terms before the dots and after them")
        if len(written) < 2 <= len(later):
            written, later = later[::-1], written[::-1]   # `x_t + \\dots + x_2 + x_1`: from the end
        run = (self._pattern_run(written, later[-1]) if len(written) >= 2
               else self._index_run(written[0], later[-1]) if len(later) == 1 else None)
        if run is None or not self._continues(run, later):
            raise self._unclear(node, "the terms do not show one index stepping by a constant "
                                      "amount")
        return run

    def _continues(self, run: Run, later: list) -> bool:
        """Whether the terms written after the dots are the run's last terms, in order."""
        for back, written in enumerate(reversed(later[:-1]), start=1):
            at = run.end - back * run.step
            if sympy.expand(run.term.subs(run.index, at) - self._product_or_value(written)) != 0:
                return False
        return True

    def _pattern_run(self, written: list, last) -> Run | None:
        differences = self._differences(written[-2], written[-1])
        steps = {sympy.simplify(b - a) for _, a, b in differences}
        if len(steps) != 1:
            return None
        step = steps.pop()
        if not (step.is_Integer and step != 0):
            return None
        anchor = differences[0][2]
        holes = {_HOLE.format(k): b - anchor for k, (_, _, b) in enumerate(differences)}
        template = written[-1]
        for (path, _, _), name in zip(differences, holes):
            template = _replace_at(template, path, ast.Letter(name))
        index = sympy.Dummy("j", integer=True)
        term = self._read_template(template, holes, index)
        start = anchor - (len(written) - 1) * step
        values = [self._product_or_value(w) for w in written]
        if any(sympy.expand(term.subs(index, start + k * step) - value) != 0
               for k, value in enumerate(values)):
            return None
        end = self._last_index(template, last, holes, term, index)
        count = None if end is None else sympy.simplify((end - start) / step)
        if count is None or count.is_negative or (abs(step) != 1 and count.is_integer is not True):
            return None   # the last term comes before the first, or between two steps
        return Run(term, index, start, end, int(step))

    def _index_run(self, first, last) -> Run | None:
        """`x_1 + \\dots + x_t`, `x_t + \\dots + x_1`: one term before the dots, one after, that
        differ in one subscript (or superscript) only; the index steps by 1 towards the last,
        whose side must be known (t - 1 >= 0 for a positive integer t)."""
        differences = self._differences(first, last)
        if len(differences) != 1:
            return None
        (path, low, high), = differences
        gap = sympy.simplify(high - low)
        if gap.is_integer is not True or (not gap.is_nonnegative and not gap.is_nonpositive):
            return None
        hole = _HOLE.format(0)
        index = sympy.Dummy("j", integer=True)
        term = self._read_template(_replace_at(first, path, ast.Letter(hole)), {hole: 0}, index)
        if index not in term.free_symbols or any(
                sympy.expand(term.subs(index, at) - self._product_or_value(written)) != 0
                for at, written in ((low, first), (high, last))):
            return None   # the place is part of a name (`h_{t-1}` undeclared), not an index
        return Run(term, index, low, high, 1 if gap.is_nonnegative else -1)

    def _product_or_value(self, node):
        """A term of a sum (a product) or an item of a list (an expression)."""
        return self._product(node) if isinstance(node, ast.Product) else self.expr(node)

    def _differences(self, a, b) -> list:
        """(path, value in a, value in b) of each place where two written terms differ: an
        integer (`2`, `4`), or a whole subscript or superscript (`x_t`, `x_{t-1}`), read as a
        value; [] when anything else differs (a letter, an operator)."""
        found: list = []
        if not _differing_places(a, b, (), found) or not found:
            return []
        try:
            return [(path, self._place_value(x), self._place_value(y)) for path, x, y in found]
        except LatexParseError:
            return []   # a subscript that is no value: no index here

    def _place_value(self, node):
        if isinstance(node, ast.Number):
            return sympy.Integer(int(node.text))
        value = self.expr(node)
        if not isinstance(value, sympy.Expr):
            raise self.error(node, "a subscript that is not a number")
        return value

    def _read_template(self, template, holes: dict, index):
        reader = PatternReader(self.notation, self.text)
        value = reader._product_or_value(template)
        self.undeclared |= reader.undeclared - set(holes)
        return value.subs({sympy.Symbol(name): index + offset for name, offset in holes.items()})

    def _last_index(self, template, last, holes: dict, term, index):
        """The index at which the template gives the term after the dots (every hole agrees).

        Where the text does not show it (`h_{t-1} + h_{t-2} + \\dots + h_0`: the hole stands
        in `t - j`), the values do: the index j at which the term equals the last one."""
        filled: dict = {}
        if _fill(template, last, filled) and set(filled) == set(holes):
            ends = {sympy.simplify(self.expr(node) - holes[name]) for name, node in filled.items()}
            return ends.pop() if len(ends) == 1 else None
        value = self._product_or_value(last)
        if not isinstance(value, sympy.Basic):
            return None
        wild = sympy.Wild("w")
        match = value.match(term.subs(index, wild))
        if match and wild in match and term.subs(index, match[wild]) == value:
            return match[wild]
        # Runs inside the reading's time limit (derive.guard), like every read of a line.
        try:
            solutions = sympy.solve(term - value, index)
        except (NotImplementedError, ValueError, TypeError):
            return None
        return solutions[0] if len(solutions) == 1 else None

    def _unclear(self, node, why: str) -> EllipsisError:
        return EllipsisError(self.text, max(node.column, 1),
                             f"an ellipsis ('\\dots') whose pattern is not clear ({why}): "
                             "listed, not decided")


def _is_dots(term: ast.Product) -> bool:
    return (term.bigop is None and len(term.items) == 1
            and isinstance(term.items[0].factor, ast.Ellipsis_))


def _is_dots_item(item) -> bool:
    """A list item that is only an ellipsis (`\\dots`, read as a one-term sum)."""
    return (isinstance(item, ast.Ellipsis_)
            or (isinstance(item, ast.Sum) and len(item.terms) == 1 and item.terms[0][0] == "+"
                and _is_dots(item.terms[0][1])))


def _fields(node):
    return [f.name for f in dataclasses.fields(node) if f.compare]


def _differing_places(a, b, path: tuple, found: list) -> bool:
    """Walk two syntax trees together; record (path, a, b) where integers or whole script items
    differ; False when anything else differs."""
    if a == b:
        return True
    if isinstance(a, ast.ScriptItem) and isinstance(b, ast.ScriptItem) \
            and a.relation == b.relation == "" and a.left != b.left:
        found.append((path + ("left",), a.left, b.left))   # `h_{t-1}` beside `h_{t-2}`
        return True
    if isinstance(a, ast.Number) and isinstance(b, ast.Number):
        if "." in a.text or "." in b.text:
            return False
        found.append((path, a, b))
        return True
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_differing_places(x, y, path + (k,), found)
                                        for k, (x, y) in enumerate(zip(a, b)))
    if type(a) is not type(b) or not dataclasses.is_dataclass(a):
        return False
    return all(_differing_places(getattr(a, name), getattr(b, name), path + (name,), found)
               for name in _fields(a))


def _replace_at(node, path: tuple, value):
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(node, tuple):
        return node[:head] + (_replace_at(node[head], rest, value),) + node[head + 1:]
    return dataclasses.replace(node, **{head: _replace_at(getattr(node, head), rest, value)})


def _fill(template, node, filled: dict) -> bool:
    """Match `node` against the template; record the subtree that stands at each hole."""
    if isinstance(template, ast.Letter) and template.char.startswith("\u27e8"):
        filled[template.char] = node
        return True
    if template == node:
        return True
    if isinstance(template, tuple) and isinstance(node, tuple):
        return len(template) == len(node) and all(_fill(a, b, filled) for a, b in zip(template, node))
    if type(template) is not type(node) or not dataclasses.is_dataclass(template):
        return False
    return all(_fill(getattr(template, name), getattr(node, name), filled) for name in _fields(template))

