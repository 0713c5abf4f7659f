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


def iverson(reader, event: ast.Event):
    """`[k = y]`: 1 where the relation holds, else 0."""
    relation = _RELATIONS.get(event.relation)
    if relation is None:
        raise reader.error(event, f"an Iverson bracket cannot test '{event.relation}'")
    condition = relation(reader.expr(event.left), reader.expr(event.right))
    return sympy.Piecewise((1, condition), (0, True))


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
