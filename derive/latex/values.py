"""Values that delimiters and special superscripts give: `|x|`, `\\|v\\|`, `\\lfloor x \\rfloor`,
the Iverson bracket `[k = y]`, degrees `90^\\circ`, transposes `A^\\top`, inverses `A^{-1}`.
"""

from __future__ import annotations

import sympy

from derive.latex import ast
from derive.latex.exact_limits import MAX_EXACT_EXPONENT
from derive.latex.names import script_text

TRANSPOSES = {"T", "top", "intercal", "mathsf{T}"}
_RELATIONS = {"=": sympy.Eq, "neq": sympy.Ne, "ne": sympy.Ne, "<": sympy.Lt, ">": sympy.Gt,
              "le": sympy.Le, "leq": sympy.Le, "leqslant": sympy.Le, "ge": sympy.Ge,
              "geq": sympy.Ge, "geqslant": sympy.Ge, "lt": sympy.Lt, "gt": sympy.Gt}


def delimited_value(reader, kind: str, value, node):
    """The value of `|x|` (abs), `\\|x\\|` (norm), floor and ceiling."""
    if kind == "floor":
        return sympy.floor(value)
    if kind == "ceil":
        return sympy.ceiling(value)
    if isinstance(value, sympy.MatrixBase):
        if kind == "abs":
            if not value.is_square:
                raise reader.error(node, "'|A|' of a matrix is its determinant: it needs a "
                                         "square matrix")
            return value.det()
        return value.norm()   # the Euclidean norm of a vector, Frobenius of a matrix
    return sympy.Abs(value)


def p_norm(reader, value, script: ast.Script, node):
    """`\\|v\\|_p` for p >= 1 (`\\|v\\|_\\infty`: the largest magnitude), `\\|A\\|_F`
    (Frobenius), over a vector's entries or a number's magnitude; a matrix's other norms (the
    operator norms) are refused."""
    key = script_text(script)
    if key == "F":
        if not isinstance(value, sympy.MatrixBase):
            raise reader.error(node, "the Frobenius norm \\|A\\|_F needs a matrix")
        return value.norm()
    order = sympy.oo if key == "infty" else reader._script_value(script, node)
    if not (order is sympy.oo or (order.is_number and order.is_real and order >= 1)):
        raise reader.error(node, f"a norm's subscript is p >= 1 or \\infty, not {key}")
    if not isinstance(value, sympy.MatrixBase):
        return sympy.Abs(value)   # a number's every norm is its magnitude, as for `\\|x\\|`
    if 1 not in value.shape:
        raise reader.error(node, f"the {key}-norm of a {value.rows}x{value.cols} matrix is an "
                                 "operator norm, which derive does not compute (\\|A\\|_F does)")
    magnitudes = [sympy.Abs(entry) for entry in value]
    if order is sympy.oo:
        return sympy.Max(*magnitudes)
    return sympy.Add(*(m ** order for m in magnitudes)) ** (sympy.Integer(1) / order)


def iverson(reader, event: ast.Event):
    """`[k = y]`: 1 where the relation holds, else 0."""
    condition = relation_of(reader, event.relation, reader.expr(event.left),
                            reader.expr(event.right), event, "an Iverson bracket")
    return sympy.Piecewise((1, condition), (0, True))


def relation_of(reader, relation: str, left, right, node, where: str = "a condition"):
    """The condition `left relation right` (`x > 0`), for a test that picks a value."""
    make = _RELATIONS.get(relation)
    if make is None:
        raise reader.error(node, f"{where} cannot test '{relation}'")
    return make(left, right)


def superscript_value(reader, value, script: ast.Script, node):
    """A superscript that is not a power: transpose of a matrix, degrees. None otherwise."""
    key = script_text(script)
    if key in TRANSPOSES and isinstance(value, sympy.MatrixBase):
        return value.T
    if key == "circ":
        return value * sympy.pi / 180   # degrees: 90^\circ is pi/2
    if isinstance(value, sympy.MatrixBase):
        return _matrix_power(reader, value, reader._script_value(script, node), node)
    return None


def _matrix_power(reader, matrix, exponent, node):
    if not matrix.is_square:
        raise reader.error(node, f"a {matrix.rows}x{matrix.cols} matrix has no powers (it is "
                                 "not square)")
    if not exponent.is_Integer:
        raise reader.error(node, f"a matrix power needs a whole exponent, not {exponent}")
    if abs(exponent) > MAX_EXACT_EXPONENT:
        raise reader.error(node, f"the matrix power with exponent {exponent} is too large to "
                                 f"compute (limit {MAX_EXACT_EXPONENT})")
    if exponent < 0 and matrix.det() == 0:
        raise reader.error(node, "this matrix is singular: it has no inverse")
    return matrix ** exponent
