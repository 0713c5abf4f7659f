"""Integrals and limits: `\\int_a^b f(x) \\, dx`, `\\int x \\, \\mathrm{d}x`, `\\lim_{x \\to 0^+} f`.

Both take the rest of the product as their body, like `\\sum`. An integral's body ends with its
differential (`dx`, `\\mathrm{d}x`, `d\\theta`); one without it, or with several integrals in a
row, is refused rather than guessed. Both stay unevaluated (`Integral`, `Limit`): the comparison
evaluates them under its time limits.
"""

from __future__ import annotations

import sympy

from derive.latex import ast
from derive.latex.derivatives import is_differential_mark


def integral(reader, bigop: ast.BigOp, body: ast.Product):
    """`\\int_a^b body dx` -> Integral(body, (x, a, b)); `\\int body dx` -> Integral(body, x)."""
    if body.bigop is not None:
        raise reader.error(body, "several integrals in a row are not read; write the inner "
                                 "integral in parentheses with its own differential")
    items = body.items
    if (len(items) < 2 or items[-1].operator or items[-2].operator
            or not is_differential_mark(items[-2].factor)):
        raise reader.error(bigop, "an integral needs its differential at the end (dx, "
                                  "\\mathrm{d}x)")
    variable = reader._variable(items[-1].factor)
    integrand = reader._product(ast.Product(items[:-2], column=body.column, end=body.end)) \
        if len(items) > 2 else sympy.Integer(1)
    sub, sup = _scripts(reader, bigop)
    if (sub is None) != (sup is None):
        raise reader.error(bigop, "a definite integral needs both bounds: \\int_a^b")
    if sub is None:
        return sympy.Integral(integrand, variable)
    low, high = (reader._script_value(script, bigop) for script in (sub, sup))
    return sympy.Integral(integrand, (variable, low, high))


def limit(reader, bigop: ast.BigOp, body: ast.Product):
    """`\\lim_{x \\to a} body`; `a^+` / `a^-` approach from one side, a bare `a` from both."""
    sub, sup = _scripts(reader, bigop)
    if sup is not None or sub is None or len(sub.items) != 1 or sub.items[0].relation not in (
            "to", "rightarrow"):
        raise reader.error(bigop, "expected \\lim_{x \\to a}")
    item = sub.items[0]
    variable = reader._variable(item.left)
    point, side = _approached(reader, item.right)
    value = reader._product(body)
    if point in (sympy.oo, -sympy.oo):
        side = "-" if point == sympy.oo else "+"
    return sympy.Limit(value, variable, point, dir=side)


def _approached(reader, node):
    """The point of `x \\to a^+`: (a, "+"); two-sided: (a, "+-")."""
    target = node
    if (isinstance(node, ast.Sum) and len(node.terms) == 1 and node.terms[0][0] == "+"
            and len(node.terms[0][1].items) == 1 and node.terms[0][1].bigop is None):
        target = node.terms[0][1].items[0].factor
    if isinstance(target, ast.Postfixed) and target.postfixes[-1].kind == "one_sided":
        rest = target.postfixes[:-1]
        base = ast.Postfixed(target.atom, rest, column=target.column) if rest else target.atom
        return reader.expr(base), target.postfixes[-1].text
    return reader.expr(node), "+-"


def _scripts(reader, bigop):
    sub = sup = None
    for postfix in bigop.scripts:
        if postfix.kind == "sub" and sub is None:
            sub = postfix.script
        elif postfix.kind == "sup" and sup is None:
            sup = postfix.script
        else:
            raise reader.error(postfix, f"\\{bigop.operator} has one lower and one upper script")
    return sub, sup
