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
from derive.latex.tensors import single_factor
from derive.latex.indicators import standard_subscripted
from derive.latex.names import loose_key, script_text, text_of
from derive.latex.values import superscript_value
from derive.latex.words import is_name_atom


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
    if value is None and base == "e" and not sub and not tail and isinstance(atom, (ast.Letter, ast.Word)):
        # Euler's number, unless the part declares an `e` (found above)
        value = sympy.exp(reader._script_value(sup, sup)) if sup is not None else sympy.E
    if value is None and isinstance(atom, ast.Command) and atom.name in CONSTANTS and not sub and not tail:
        value = _with_power(reader, CONSTANTS[atom.name], sup)   # `\\pi^2`
    if value is None and sub is not None and not tail:
        value = _with_power(reader, standard_subscripted(reader, base, sub, atom), sup)
    if value is None and sup is not None and script_text(sup) in _DECORATIONS:
        value = _undeclared(reader, base + sub_text + sup_text + tail)
    if value is None:
        _refuse_undeclared_word(reader, atom)
        _refuse_accent_over_expression(reader, atom)
        value = _with_power(reader, _undeclared(reader, base + sub_text + tail), sup)
    return reader._apply_postfixes(value, rest)


_WORD_STYLES = {"operatorname", "text", "textrm", "mathrm", "textit", "mathit", "mathsf"}


def _refuse_undeclared_word(reader, atom) -> None:
    """`\\text{foo}`, `\\operatorname{foo}`: a word is a name only where the part declares it;
    a word typed as letters (`a = 1 and b = 2`) is no product of them."""
    if isinstance(atom, ast.Word) and atom.style == "typed":
        raise reader.error(atom, f"'{atom.text}' is a word, not a product of letters: write words "
                                 "outside the formula")
    if isinstance(atom, ast.Word) and atom.style == "mathbb":
        raise reader.error(atom, f"'\\mathbb{{{atom.text}}}' is a set: it stands after '\\in' "
                                 "(x \\in \\mathbb{R})")
    if isinstance(atom, ast.Word) and atom.style in _WORD_STYLES and len(atom.text) > 1:
        raise reader.error(atom, f"'\\{atom.style}{{{atom.text}}}' is not notation derive reads "
                                 "(a word is a name only where the part's notation declares it)")


def _refuse_accent_over_expression(reader, atom) -> None:
    """`\\bar{x}` is a name; `\\overline{x + y}` is an operation on a value (a mean, a
    complex conjugate, a closure, a negation?) that no name stands for."""
    if not isinstance(atom, ast.Accent):
        return
    body = single_factor(atom.body)
    if isinstance(body, ast.Postfixed):   # `\\hat{y_i}`
        body = body.atom
    if not is_name_atom(body):   # `\\overline{3}` too
        raise reader.error(atom, f"'\\{atom.accent}' over an expression is not notation derive "
                                 "reads (over one name it makes a name: \\bar{x})")


CONSTANTS = {"pi": sympy.pi, "infty": sympy.oo}
_DECORATIONS = {"*", "prime", "'", "top", "intercal"}


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
    loose = _loosely_declared(notation.symbols, key)
    return notation.symbols[loose] if loose is not None else None


def _loosely_declared(symbols, key: str) -> str | None:
    """The one declared name `key` spells in other letters: `N_{full}` for `N_{\\text{full}}`."""
    wanted = loose_key(key)
    matches = [name for name in symbols if loose_key(name) == wanted]
    return matches[0] if len(matches) == 1 else None


def _with_power(reader, value, sup):
    if value is None or sup is None:
        return value
    special = superscript_value(reader, value, sup, sup)   # `q_i^T`: no power of a vector is meant
    if special is not None:
        return special
    return reader.power(value, reader._script_value(sup, sup), sup)


def _sequence(reader, key: str, sub: ast.Script):
    family = reader.notation.sequences.get(key)
    if family is None:
        return None
    items = [item.left for item in sub.items]
    letters = _single_letters(items[0]) if len(items) == 1 else None
    if letters and _takes(family, len(letters)):
        items = letters   # `a_{ij}` for a sequence of two indices: a(i, j)
    return family(*(reader.expr(item) for item in items))


def _single_letters(node):
    """The letters or digits of a juxtaposed run `ij` (two or more), else None."""
    if not (isinstance(node, ast.Sum) and len(node.terms) == 1 and node.terms[0][0] == "+"):
        return None
    product = node.terms[0][1]
    if product.bigop is not None or any(item.operator for item in product.items):
        return None
    factors = [item.factor for item in product.items]
    if len(factors) > 1 and all(isinstance(f, (ast.Letter, ast.Number)) and len(text_of(f)) == 1
                                for f in factors):
        return factors
    return None


def _takes(family, count: int) -> bool:
    """Whether the sequence's function accepts `count` positional indices."""
    import inspect
    try:
        parameters = inspect.signature(family).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= count


def _undeclared(reader, key: str) -> sympy.Symbol:
    reader.undeclared.add(key)
    return sympy.Symbol(key)
