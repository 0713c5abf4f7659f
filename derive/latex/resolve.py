"""What a name with its scripts means in a notation (`\\sigma_{\\ell+1}^2`, `W^{h,R}`, `e^{x}`).

Tried in order, first hit wins:
1. the whole name with its sub- and superscript is declared (`W^Q`, `lambda^*`, `sigma_w`);
2. the name with its subscript is declared, and the superscript is a power (`sigma_w^2`);
3. the base is a declared sequence applied to the subscript (`sigma_{ell+1}`), sup a power;
4. `e` not declared otherwise: `e^{x}` is the exponential;
5. a superscript that decorates (`*`, `\\prime`) makes a new name (`lambda^*`);
6. otherwise an undeclared name, recorded, with any superscript as a power.
"""

from __future__ import annotations

import sympy

from derive.latex import ast
from derive.latex.names import script_text, text_of


def resolve_name(reader, atom, postfixes: tuple[ast.Postfix, ...]) -> sympy.Basic:
    base = text_of(atom)
    sub, sup, primes, attribute, rest = _split(postfixes)
    sub, attribute = _attribute_in_subscript(reader, sub, attribute)
    sub_text = "_" + script_text(sub) if sub else ""
    sup_text = "^" + script_text(sup) if sup else ""
    tail = primes + (f".{attribute}" if attribute else "")

    value = _lookup(reader, base + sub_text + sup_text + tail)
    if value is None:
        value = _with_power(reader, _lookup(reader, base + sub_text + tail), sup)
    if value is None and sub is not None:
        value = _with_power(reader, _sequence(reader, base + tail, sub), sup)
    if value is None and base == "e" and sup is not None and not sub and not tail:
        value = sympy.exp(reader._script_value(sup, sup))
    if value is None and sup is not None and script_text(sup) in _DECORATIONS:
        value = _undeclared(reader, base + sub_text + sup_text + tail)
    if value is None:
        value = _with_power(reader, _undeclared(reader, base + sub_text + tail), sup)
    return reader._apply_postfixes(value, rest)


_DECORATIONS = {"*", "prime", "'", "top"}


def _split(postfixes):
    """Separate the postfixes that are part of the name from those applied after it."""
    sub = sup = None
    primes, attribute, rest = "", "", []
    for postfix in postfixes:
        if postfix.kind == "sub" and sub is None and not rest:
            sub = postfix.script
        elif postfix.kind == "sup" and sup is None and not rest:
            sup = postfix.script
        elif postfix.kind == "prime" and not rest:
            primes += postfix.text
        elif postfix.kind == "attribute" and not rest:
            attribute = postfix.text
        else:
            rest.append(postfix)
    return sub, sup, primes, attribute, tuple(rest)


def _attribute_in_subscript(reader, sub, attribute):
    """`\\sigma_{\\ell,\\text{grad}}` is `\\sigma_\\ell.grad` when `grad` is an attribute word."""
    if sub is None or len(sub.items) < 2 or attribute:
        return sub, attribute
    last = sub.items[-1]
    word = text_of(last.left)
    if last.relation or word not in reader.notation.attribute_words:
        return sub, attribute
    return ast.Script(sub.items[:-1], column=sub.column, end=sub.end), word


def _lookup(reader, key: str):
    """The value of a declared name, or a reference to a declared function; else None."""
    notation = reader.notation
    if key in reader.scope:
        return reader.scope[key]
    if key in notation.symbols:
        return notation.symbols[key]
    if key in notation.functions or key in notation.distributions or key in notation.tensors:
        return sympy.Symbol(key)   # a function named as an argument: `H(P, Pop)`
    return None


def _with_power(reader, value, sup):
    if value is None or sup is None:
        return value
    return value ** reader._script_value(sup, sup)


def _sequence(reader, key: str, sub: ast.Script):
    family = reader.notation.sequences.get(key)
    if family is None:
        return None
    arguments = [reader.expr(item.left) for item in sub.items]
    return family(*arguments)


def _undeclared(reader, key: str) -> sympy.Symbol:
    reader.undeclared.add(key)
    return sympy.Symbol(key)
