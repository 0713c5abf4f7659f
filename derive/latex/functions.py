"""The named functions of standard notation: `\\sin^2 x`, `\\sin^{-1} x`, `\\log_2 x`, `\\max(a, b)`.

Written without parentheses, a function's argument is the juxtaposed product that follows it,
up to the next explicit operator (`+ - \\cdot \\times /`), relation or separator, or the next
function: `\\sin 2x y` is sin(2xy), `\\sin x \\cos x` is sin(x) cos(x), `\\ln x + 1` is ln(x) + 1,
`\\ln \\sum_i e^{z_i}` is the log of the whole sum. `\\sin^2 x` is (sin x)^2 and `\\sin^{-1} x` is
arcsin x; `^{-1}` on a function without an inverse name (`\\ln^{-1}`) is refused as ambiguous.
"""

from __future__ import annotations

import functools

import sympy
from sympy.calculus.util import maximum, minimum

_UNARY = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "cot": sympy.cot, "sec": sympy.sec,
    "csc": sympy.csc, "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh,
    "coth": sympy.coth, "sech": sympy.sech, "csch": sympy.csch,
    "arcsin": sympy.asin, "arccos": sympy.acos, "arctan": sympy.atan, "arccot": sympy.acot,
    "arcsec": sympy.asec, "arccsc": sympy.acsc, "arsinh": sympy.asinh, "arcsinh": sympy.asinh,
    "arcosh": sympy.acosh, "arccosh": sympy.acosh, "artanh": sympy.atanh,
    "arctanh": sympy.atanh, "arcoth": sympy.acoth,
    # SymPy's printer writes these as \operatorname{asin} ...
    "asin": sympy.asin, "acos": sympy.acos, "atan": sympy.atan, "acot": sympy.acot,
    "asec": sympy.asec, "acsc": sympy.acsc, "asinh": sympy.asinh, "acosh": sympy.acosh,
    "atanh": sympy.atanh, "acoth": sympy.acoth, "asech": sympy.asech, "acsch": sympy.acsch,
    "sign": sympy.sign, "floor": sympy.floor, "ceil": sympy.ceiling,   # \operatorname{floor}(x)
    "exp": sympy.exp, "ln": sympy.log, "log": sympy.log, "sgn": sympy.sign,
    "lg": lambda value: sympy.log(value, 10),   # ISO 80000-2: lg is the base-10 logarithm
    # the course's words
    "sigmoid": lambda z: 1 / (1 + sympy.exp(-z)),
    "ReLU": lambda z: sympy.Max(0, z),
}
_INVERSE = {
    "sin": sympy.asin, "cos": sympy.acos, "tan": sympy.atan, "cot": sympy.acot,
    "sec": sympy.asec, "csc": sympy.acsc, "sinh": sympy.asinh, "cosh": sympy.acosh,
    "tanh": sympy.atanh, "coth": sympy.acoth, "sech": sympy.asech, "csch": sympy.acsch,
}
def _whole_numbers(name: str, combine):
    """gcd or lcm of any number of whole numbers (SymPy's own takes two, and reads a third as a
    polynomial generator); of unknowns it has no value to give."""
    def apply(*values):
        if not values or not all(isinstance(v, sympy.Integer) for v in values):
            raise ValueError(f"{name} takes whole numbers")
        return functools.reduce(combine, values)
    return apply


_VARIADIC = {"max": sympy.Max, "min": sympy.Min,
             "gcd": _whole_numbers("gcd", sympy.igcd), "lcm": _whole_numbers("lcm", sympy.ilcm)}

FUNCTION_NAMES = frozenset(_UNARY) | frozenset(_VARIADIC) | {"det"}


def function_head(reader, base: str, postfixes, node):
    """The head of a named function written with its scripts, or None when `base` is not one."""
    from derive.latex.heads import Head
    if base not in FUNCTION_NAMES:
        return None
    if base in _EXTREMA and len(postfixes) == 1 and postfixes[0].kind == "sub":
        return _extremum_head(reader, base, postfixes[0].script, node)
    primes = sum(len(postfix.text) for postfix in postfixes if postfix.kind == "prime")
    sub, sup = _scripts(reader, base, [p for p in postfixes if p.kind != "prime"], node)
    if primes and (base not in _UNARY or sub is not None):
        raise reader.error(node, f"'\\{base}' cannot take a prime here")
    if primes > MAX_PRIMES:
        raise reader.error(node, f"{primes} primes: write a derivative of order above {MAX_PRIMES} "
                                 "as \\frac{d^n}{dx^n}")
    if primes:   # `\\tanh'(x)`: the derivative of the function, at the argument
        derivative = _derivative_of(base, primes)
        return Head(lambda reader, args: _powered(reader, derivative(_one(reader, args, base, node)), sup, node),
                    prefix=True, reach="run")
    if base in _VARIADIC:
        if sub is not None or sup is not None:
            raise reader.error(node, f"'\\{base}' with a script: write \\{base}(a, b)")
        return Head(lambda reader, args: _variadic(reader, base, args, node),
                    delimited=lambda reader, group: _variadic(reader, base, reader.listed(group.items, group), group))
    function = _unary(reader, base, sub, sup, node)
    return Head(lambda reader, args: function(reader, _one(reader, args, base, node)),
                prefix=True, reach="run")


_EXTREMA = {"max": maximum, "min": minimum}


def _extremum_head(reader, base, sub, node):
    """`\\max_y f(y)`, `\\min_x g(x)`: the extreme value over a declared real variable (its
    supremum or infimum over the real line, or over the half-line its sign assumption gives);
    `\\max_{m \\in [0, 1]} m(1 - m)`: over the interval, the variable bound by the subscript."""
    from derive.latex.heads import Head
    from derive.latex.names import text_of
    from derive.latex.sets import read_set
    item = sub.items[0] if len(sub.items) == 1 else None
    if item is None or item.relation not in ("", "in"):
        raise reader.error(sub, f"'\\{base}' takes one variable below it: \\{base}_y f(y) or "
                                f"\\{base}_{{y \\in [a, b]}} f(y)")
    key = text_of(item.left)
    bound = item.relation == "in"
    variable = (sympy.Symbol(key, real=True) if bound
                else reader.scope.get(key, reader.notation.symbols.get(key)))
    if not isinstance(variable, sympy.Symbol):
        raise reader.error(item, f"'\\{base}_{key}' needs '{key}' declared by the part as a "
                                 "variable")
    if bound:
        domain = read_set(reader, item.right)
        if not isinstance(domain, sympy.Interval) or not domain.is_subset(sympy.S.Reals):
            raise reader.error(item, f"'\\{base}' over {key} needs an interval of real numbers")
        outer = reader.scope.get(key)
        reader.scope[key] = variable   # the argument, read next, sees the bound variable
    else:
        domain = (sympy.Interval(0, sympy.oo) if variable.is_nonnegative
                  else sympy.Interval.open(0, sympy.oo) if variable.is_positive else sympy.S.Reals)

    def extreme(reader, args):
        if bound:   # the argument has been read: the variable is bound no longer
            _unbind(reader, key, outer)
        reader.extremum_variables.add(variable)
        value = _EXTREMA[base](_one(reader, args, base, node), variable, domain)
        if not isinstance(value, sympy.Expr) or value.has(sympy.Max, sympy.Min, variable):
            raise reader.error(node, f"no closed form for this \\{base} over {key}")
        return value
    return Head(extreme, prefix=True, reach="run")


def _unbind(reader, key: str, outer) -> None:
    """`key` as it was before a `\\max_{key \\in ...}` bound it."""
    if outer is None:
        reader.scope.pop(key, None)
    else:
        reader.scope[key] = outer


def _scripts(reader, base, postfixes, node):
    sub = sup = None
    for postfix in postfixes:
        if postfix.kind == "sub" and sub is None and base in ("log", "ln"):
            sub = postfix.script
        elif postfix.kind == "sup" and sup is None:
            sup = postfix.script
        else:
            raise reader.error(postfix, f"'\\{base}' cannot take this {postfix.kind} here")
    if sub is not None and base == "ln":
        raise reader.error(node, "'\\ln' is the natural logarithm: write \\log_b for base b")
    return sub, sup


def _unary(reader, base, sub, sup, node):
    """(reader, argument) -> value, with the base of a logarithm and the power applied."""
    if base == "det":
        inner = lambda reader, value: _determinant(reader, value, node)   # noqa: E731
    elif sub is not None:
        log_base = reader._script_value(sub, node)
        inner = lambda reader, value: sympy.log(value) / sympy.log(log_base)   # noqa: E731
    else:
        inner = lambda reader, value: _UNARY[base](value)   # noqa: E731
    if sup is None:
        return inner
    exponent = reader._script_value(sup, node)
    if exponent == -1:
        if base not in _INVERSE:
            raise reader.error(node, f"'\\{base}^{{-1}}' is ambiguous: write (\\{base} x)^{{-1}} "
                                     "for the reciprocal")
        return lambda reader, value: _INVERSE[base](value)
    return lambda reader, value: reader.power(inner(reader, value), exponent, node)


MAX_PRIMES = 4   # more primes than this: the derivatives of some functions grow without use


def _variadic(reader, base: str, values: list, node):
    try:
        return _VARIADIC[base](*values)
    except ValueError as error:
        raise reader.error(node, f"'\\{base}' of {', '.join(map(str, values))}: {error}") from None


def _derivative_of(base: str, order: int):
    """value -> the order-th derivative of the named function at value."""
    variable = sympy.Dummy("u")
    derivative = sympy.diff(_UNARY[base](variable), variable, order)
    return lambda value: derivative.subs(variable, value)


def _powered(reader, value, sup, node):
    return value if sup is None else reader.power(value, reader._script_value(sup, node), node)


def _determinant(reader, value, node):
    if not isinstance(value, sympy.MatrixBase) or not value.is_square:
        raise reader.error(node, "'\\det' needs a square matrix")
    return value.det()


def _one(reader, args, base, node):
    if len(args) != 1:
        raise reader.error(node, f"'\\{base}' takes one argument, not {len(args)}")
    return args[0]

