"""Names that take an argument: functions, softmax, expectations, derivatives, big operators.

A head either takes the delimited group that follows it (`P(i)`, `E_i[...]`, `W^Q[k,i,j]`) or,
for prefix operators (`\\ln x`, `\\partial_\\lambda H`, `\\frac{d}{dx}[...]`), the next operand.
"""

from __future__ import annotations

import contextlib
import inspect
from dataclasses import dataclass
from typing import Callable

import sympy

from derive.errors import LatexParseError
from derive.latex.exact_limits import guarded_subs
from derive.latex import ast
from derive.latex.functions import function_head
from derive.latex.indicators import INDICATOR, OPERATORS, indicator_of, uninterpreted
from derive.latex.names import script_text, text_of
from derive.latex.vocabulary import walk
from derive.latex.words import merge_words


@dataclass(frozen=True)
class Head:
    """Something applied to what follows it."""

    apply: Callable                  # (reader, list of argument values) -> value
    prefix: bool = False             # may take the next operand without parentheses
    delimited: Callable | None = None  # (reader, Delimited node) -> value; default: apply to items
    bare_value: Callable | None = None  # value when nothing follows
    raw: Callable | None = None      # (reader, factors, index) -> (value, used): reads its own operands
    reach: str = "run"               # a prefix head's bare argument: "run" stops at the next
                                     # function, "rest" takes every juxtaposed factor after it

    def apply_delimited(self, reader, node: ast.Delimited):
        if self.delimited is not None:
            return self.delimited(reader, node)
        return self.apply(reader, reader.arguments(node.items))

    def apply_value(self, reader, value, node):
        return self.apply(reader, [value])

    def bare(self, reader, node):
        if self.bare_value is not None:
            return self.bare_value(reader, node)
        raise reader.error(node, f"'{text_of(node)}' needs an argument")


def head_of(reader, node) -> Head | None:
    """The head this node denotes in the reader's notation, or None for a plain value."""
    atom, postfixes = (node.atom, node.postfixes) if isinstance(node, ast.Postfixed) else (node, ())
    if isinstance(node, ast.Frac):
        return _derivative_operator(reader, node)
    if not isinstance(atom, (ast.Letter, ast.Command, ast.Word, ast.Accent)):
        return None
    base = text_of(atom)
    key = text_of(node)
    notation = reader.notation
    if key in notation.functions:
        return _declared_function(notation.functions[key], key)
    if _derivative_of_declared(reader, base, postfixes):
        return _derivative_of_declared(reader, base, postfixes)
    if key in notation.tensors:
        from derive.latex.tensors import tensor_head
        return tensor_head(key, notation.tensors[key])
    if key in notation.distributions and key not in notation.symbols and key not in reader.scope:
        return _distribution_name(key, node)
    if notation.declares(key) or key in reader.scope:
        return None
    return _builtin_head(reader, base, postfixes, node)


def _distribution_name(key, node):
    """A distribution's name: an argument as itself (`H(P, \\text{Pop})`); applied to values
    (`\\text{Pop}(k)`) it is refused, never read as a product of a symbol and a group."""
    def apply(reader, arguments):
        raise reader.error(node, f"'{key}' names a distribution, not a function of values: write "
                                 f"\\mathbb{{E}}_{{k \\sim {key}}}[...] for a mean over it, or "
                                 f"\\sum_k {key}(k) ... without bounds (the sum over its support)")
    return Head(apply, bare_value=lambda reader, node: sympy.Symbol(key))


def _declared_function(function, key):
    def apply(reader, arguments):
        return _call(reader, function, key, arguments, None)

    def delimited(reader, group: ast.Delimited):
        arguments = reader.arguments(group.items)
        _check_arity(reader, function, key, arguments, group)
        return _call(reader, function, key, arguments, group)
    return Head(apply, delimited=delimited, bare_value=lambda reader, node: sympy.Symbol(key))


def _call(reader, function, key: str, arguments: list, node):
    """A declared function applied: an argument it cannot take (a scalar where it takes a
    vector: `softmax(z)` for a single logit z) is an error at its parentheses."""
    try:
        return function(*arguments)
    except LatexParseError:
        raise   # the function's own refusal, already located
    except (TypeError, ValueError, AttributeError, IndexError) as error:
        shown = ", ".join(str(argument)[:40] for argument in arguments)
        raise reader.error(node, f"'{key}' cannot take {shown} here "
                                 f"({type(error).__name__}: {str(error)[:80]})") from None


def _check_arity(reader, function, key: str, arguments: list, group: ast.Delimited) -> None:
    """A declared function given the wrong number of arguments (`I(y)` for I(y, y^)) is an
    error at its parentheses, not a crash inside the encoding."""
    try:
        inspect.signature(function).bind(*arguments)
    except TypeError:
        raise reader.error(group, f"'{key}' does not take {len(arguments)} argument"
                                  f"{'s' if len(arguments) != 1 else ''} here") from None
    except ValueError:
        return   # no signature to check (a builtin): the call itself decides


def _derivative_of_declared(reader, base, postfixes):
    """`f'(y)`, `\\sigma'(z)`: the derivative of a declared one-argument function."""
    if len(postfixes) != 1 or postfixes[0].kind != "prime":
        return None
    function = reader.notation.functions.get(base)
    if function is None:
        return None
    order = len(postfixes[0].text)

    def apply(reader, arguments):
        (argument,) = arguments
        variable = sympy.Dummy("z")
        return guarded_subs(sympy.diff(function(variable), variable, order), {variable: argument})
    return Head(apply)


def _builtin_head(reader, base, postfixes, node):
    sub = next((p.script for p in postfixes if p.kind == "sub"), None)
    function = function_head(reader, base, postfixes, node)
    if function is not None:
        return function
    if base == "Gamma" and len(postfixes) <= 1 and all(p.kind == "sup" for p in postfixes):
        return _gamma_function(postfixes, node)
    if base == "softmax":
        return Head(None, delimited=lambda reader, group: _softmax(reader, sub, group, node))
    if base in ("E", "mathbb{E}") and sub is None and reader.notation.default_distribution:
        return Head(None, delimited=lambda reader, group: _unsubscripted_expectation(
            reader, base, group, node))
    if base in ("E", "mathbb{E}") and (sub is None or not reader.notation.distributions):
        return Head(None, delimited=lambda reader, group: uninterpreted(reader, base, sub, group, node))
    if base in ("E", "mathbb{E}"):
        return Head(None, delimited=lambda reader, group: _expectation(reader, sub, group, node))
    if base in OPERATORS and not postfixes:
        return Head(None, delimited=lambda reader, group: uninterpreted(reader, base, None, group, node))
    if base == INDICATOR and not postfixes:
        return Head(None, delimited=lambda reader, group: indicator_of(reader, group, node))
    if base == "partial" and sub is not None:
        return _partial_operator(reader, postfixes, node)
    if base == "nabla" and not postfixes:
        return Head(None, raw=_gradient)
    return None


def _gamma_function(postfixes, node):
    """`\\Gamma(x)`, `\\Gamma^{2}(x)`: Euler's gamma function where parentheses follow; a bare
    `\\Gamma` stays the letter."""
    def apply(reader, arguments):
        if len(arguments) != 1:
            raise reader.error(node, "'\\Gamma' takes one argument")
        value = sympy.gamma(arguments[0])
        if postfixes:
            return reader.power(value, reader._script_value(postfixes[0].script, node), node)
        return value

    def bare(reader, node):
        atom, scripts = (node.atom, node.postfixes) if isinstance(node, ast.Postfixed) else (node, ())
        return reader._name(atom, scripts)
    return Head(apply, bare_value=bare)


def _gradient(reader, factors, index):
    """`\\nabla f(x)` is f'(x); `\\nabla f_{x_0}(x)` is f' evaluated at x_0."""
    if index + 1 >= len(factors):
        raise reader.error(factors[index][1], "'\\nabla' needs a function after it")
    node = factors[index + 1][1]
    atom, postfixes = (node.atom, node.postfixes) if isinstance(node, ast.Postfixed) else (node, ())
    function = reader.notation.functions.get(text_of(atom))
    subs = [p for p in postfixes if p.kind == "sub"]
    if function is None or len(subs) != len(postfixes):
        raise reader.error(node, f"'\\nabla' applies to a declared function, not '{text_of(node)}'")
    following = factors[index + 2][1] if index + 2 < len(factors) else None
    used = 2
    variable = sympy.Dummy("x")
    if isinstance(following, ast.Delimited):
        used = 3
        point = reader.expr(following.items[0])
    if subs:
        point = reader._script_value(subs[0].script, node)
    elif used == 2:
        raise reader.error(node, "'\\nabla f' needs the point: \\nabla f(x) or \\nabla f_{x_0}")
    return guarded_subs(sympy.diff(function(variable), variable), {variable: point}), used


def _partial_operator(reader, postfixes, node):
    """`\\partial_x`, `\\partial_x^2`, `\\partial^2_x`: differentiates all that follows it."""
    from derive.latex.derivatives import DerivativeForm, differentiate
    sub = next(p.script for p in postfixes if p.kind == "sub")
    sup = next((p.script for p in postfixes if p.kind == "sup"), None)
    if len(sub.items) != 1 or sub.items[0].relation:
        raise reader.error(node, "'\\partial' takes one variable: \\partial_x")
    form = DerivativeForm(None, ((sub.items[0].left, sup),), None)
    return Head(lambda reader, args: differentiate(reader, args[0], form, node), prefix=True,
                reach="rest")


def _derivative_operator(reader, node: ast.Frac):
    from derive.latex.derivatives import derivative_form, differentiate
    form = derivative_form(node)
    if form is None or form.numerator is not None:
        return None
    return Head(lambda reader, args: differentiate(reader, args[0], form, node), prefix=True,
                reach="rest")


def _bound_variable(reader, node) -> tuple[str, sympy.Symbol]:
    key = text_of(node)
    declared = reader.notation.symbols.get(key)
    if isinstance(declared, sympy.Symbol):
        return key, declared
    return key, sympy.Symbol(key, integer=True)


def _range_of(reader, key, node):
    """The declared range of an index written without bounds (`\\sum_k`); else the range its
    declared symbol's assumptions give: a nonnegative integer runs over 0, 1, 2, ... (a positive
    one from 1)."""
    bounds = reader.notation.index_ranges.get(key)
    if bounds is not None:
        return bounds
    declared = reader.notation.symbols.get(key)
    if isinstance(declared, sympy.Symbol) and declared.is_integer and declared.is_nonnegative:
        return (1 if declared.is_positive else 0), sympy.oo
    raise reader.error(node, f"no range is declared for the index '{key}'; write its bounds")


def _softmax(reader, sub, group: ast.Delimited, node):
    key = _index_key(sub) if sub is not None else reader.notation.softmax_index
    if not key:
        raise reader.error(node, "softmax over which index? write it as softmax_{i}[...]")
    _, variable = _bound_variable(reader, ast.Letter(key) if len(key) == 1 else _key_node(key))
    low, high = _range_of(reader, key, node)
    with _bound(reader, key, variable):
        logit = reader.expr(_single(reader, group))
    other = sympy.Dummy(key, integer=True)
    return sympy.exp(logit) / sympy.Sum(sympy.exp(logit.subs(variable, other)), (other, low, high))


def _index_key(sub) -> str:
    """The index a subscript names: `t_2` for `softmax_{t_2}` (no braces, as `\\sum` reads it)."""
    if len(sub.items) == 1 and not sub.items[0].relation:
        return text_of(sub.items[0].left)
    return script_text(sub)


def _key_node(key):
    return ast.Word("text", key)


def _expectation(reader, sub, group, node):
    """`E_{i \\sim P}[f]`, `E_i[f]`, and `E_{x, y \\sim P}[f]` (the distribution gets a tuple)."""
    if sub is None or not sub.items:
        raise reader.error(node, "an expectation needs its variable: E_{i \\sim P}[...] or E_i[...]")
    *leading, last = sub.items
    if any(item.relation for item in leading) or last.relation not in ("", "sim"):
        raise reader.error(last, "expected 'i \\sim P' or 'x, y \\sim P' under the expectation")
    distribution = text_of(last.right) if last.relation else reader.notation.default_distribution
    expectation = reader.notation.distributions.get(distribution)
    if expectation is None:
        raise reader.error(last, f"no distribution '{distribution}' is declared for this part")
    bound = [_bound_variable(reader, item.left) for item in sub.items]
    with contextlib.ExitStack() as scope:
        for key, variable in bound:
            scope.enter_context(_bound(reader, key, variable))
        body = reader.expr(_single(reader, group))
    variables = tuple(variable for _, variable in bound)
    return expectation(variables[0] if len(variables) == 1 else variables, body)


def _unsubscripted_expectation(reader, base, group, node):
    """`\\mathbb{E}[i]` where the part declares a default distribution: the mean over it of the
    one declared index the body uses; with none or several, a name of the file's own."""
    body = _single(reader, group)
    written = {text_of(node) for node in walk(body)}
    indices = [key for key in reader.notation.index_ranges
               if key in written and key not in reader.scope]
    if len(indices) != 1:
        return uninterpreted(reader, base, None, group, node)
    key, variable = _bound_variable(reader, ast.Letter(indices[0]) if len(indices[0]) == 1
                                    else _key_node(indices[0]))
    with _bound(reader, key, variable):
        value = reader.expr(body)
    return reader.notation.distributions[reader.notation.default_distribution](variable, value)


def _single(reader, group: ast.Delimited):
    if len(group.items) != 1:
        raise reader.error(group, "expected one expression inside the brackets")
    return group.items[0]


class _bound:
    """Binds a summation or expectation variable while its body is read."""

    def __init__(self, reader, key, variable):
        self.reader, self.key, self.variable = reader, key, variable

    def __enter__(self):
        self.saved = self.reader.scope.get(self.key)
        self.reader.scope[self.key] = self.variable

    def __exit__(self, *exc):
        if self.saved is None:
            self.reader.scope.pop(self.key, None)
        else:
            self.reader.scope[self.key] = self.saved


def big_operator(reader, bigop: ast.BigOp, body: ast.Product):
    """`\\sum_{i=0}^{\\infty} body`, `\\sum_{t,i} body`, `\\prod_{j=i+1}^{t} body`."""
    if bigop.operator in ("int", "lim"):
        from derive.latex import calculus
        return getattr(calculus, {"int": "integral", "lim": "limit"}[bigop.operator])(reader, bigop, body)
    sub = next((p.script for p in bigop.scripts if p.kind == "sub"), None)
    sup = next((p.script for p in bigop.scripts if p.kind == "sup"), None)
    if sub is None:
        raise reader.error(bigop, f"\\{bigop.operator} without an index")
    weighted = _weighted_by_distribution(reader, bigop, sub, body)
    if weighted is not None:
        return weighted
    limits = []
    for item in sub.items:
        key, variable = _bound_variable(reader, item.left)
        if item.relation == "=":
            low = reader.expr(item.right)
            if sup is None:
                raise reader.error(bigop, f"\\{bigop.operator} with a lower bound and no upper bound")
            high = reader._script_value(sup, bigop)
        elif not item.relation:
            low, high = _range_of(reader, key, item)
        elif item.relation in _FROM_ON and sup is None:
            # `\sum_{k \ge 0}`: from the bound on, without end; `k > 0` starts after it.
            low = reader.expr(item.right) + _FROM_ON[item.relation]
            high = sympy.oo
        else:
            raise reader.error(item, "expected 'i = start', 'i \\ge start' or 'i' under the big "
                                     "operator")
        limits.append((key, variable, low, high))
    return _sum_over(reader, bigop.operator, limits, body)


_FROM_ON = {"ge": 0, "geq": 0, "geqslant": 0, ">": 1}


def _weighted_by_distribution(reader, bigop, sub, body):
    """`\\sum_k \\text{Pop}(k) f(k)` (the weight anywhere among the factors), written without
    bounds, is the mean of f over the declared distribution Pop (its support is where the sum
    runs); None for any other sum."""
    if (bigop.operator != "sum" or len(sub.items) != 1 or sub.items[0].relation
            or any(p.kind == "sup" for p in bigop.scripts)):
        return None
    # `Pop(k)` typed without \text is the letters P o p: read them as the declared word first.
    items = [ast.ProductItem(operator, node, column=node.column, end=node.end) for operator, node
             in merge_words([(item.operator, item.factor) for item in body.items], reader.notation)]
    index = text_of(sub.items[0].left)
    weight = next((position for position in range(len(items) - 1)
                   if _is_weight(reader, items[position], items[position + 1], index)), None)
    if weight is None:
        return None
    _, variable = _bound_variable(reader, sub.items[0].left)
    rest = ast.Product(column=body.column, end=body.end, bigop=body.bigop, body=body.body,
                       items=tuple(items[:weight] + items[weight + 2:]))
    with _bound(reader, index, variable):
        weighted = reader._product(rest) if rest.items or rest.bigop else sympy.Integer(1)
    return reader.notation.distributions[text_of(items[weight].factor)](variable, weighted)


def _is_weight(reader, name: ast.ProductItem, call: ast.ProductItem, index: str) -> bool:
    """`Pop(k)` multiplying the rest: a declared distribution applied to the summation index."""
    key, group = text_of(name.factor), call.factor
    return (name.operator in ("", "cdot") and not call.operator
            and key in reader.notation.distributions and key not in reader.notation.symbols
            and isinstance(group, ast.Delimited) and group.kind == "paren" and len(group.items) == 1
            and text_of(group.items[0]) == index)


def _sum_over(reader, operator, limits, body):
    if not limits:
        return reader._product(body)
    (key, variable, low, high), rest = limits[0], limits[1:]
    with _bound(reader, key, variable):
        inner = _sum_over(reader, operator, rest, body)
    kind = sympy.Sum if operator == "sum" else sympy.Product
    return kind(inner, (variable, low, high))
