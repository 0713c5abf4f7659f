"""The operators between factors and terms: products, quotients, `\\odot`, sums, with shapes checked.

A matrix times a matrix of a shape that does not fit, a matrix plus a scalar, `\\times` between
matrices (product or cross?) and division by a matrix are errors at the operand, never a crash.
"""

from __future__ import annotations

import sympy


def added(total, value, reader, node):
    """`total + value`; a sum of a matrix and anything of another shape is an error here."""
    if isinstance(total, sympy.MatrixBase) or isinstance(value, sympy.MatrixBase):
        shapes = [shape_of(side) for side in (total, value)]
        if shapes[0] != shapes[1]:
            raise reader.error(node, f"cannot add a {shapes[1]} to a {shapes[0]}: the shapes "
                                     "do not fit")
    return total + value   # no 0 + Matrix: SymPy refuses it, so the first term starts the sum


def shape_of(value) -> str:
    if isinstance(value, sympy.MatrixBase):
        return f"{value.rows}x{value.cols} matrix"
    return "scalar"


def apply_operator(left, operator: str, right, reader, node):
    if operator == "times" and isinstance(left, sympy.MatrixBase) and isinstance(right, sympy.MatrixBase):
        raise reader.error(node, "'\\times' between matrices is ambiguous (product or cross?)")
    if (isinstance(left, sympy.MatrixBase) and isinstance(right, sympy.MatrixBase)
            and operator != "odot" and left.cols != right.rows):
        raise reader.error(node, f"cannot multiply a {shape_of(left)} by a {shape_of(right)}: the "
                                 "shapes do not fit")
    if operator in ("/", "div") and isinstance(right, sympy.MatrixBase):
        raise reader.error(node, "dividing by a matrix is not defined: multiply by its inverse")
    if operator in ("", "cdot", "times", "ast", "circ"):
        product = left * right
        if (isinstance(left, sympy.MatrixBase) and isinstance(right, sympy.MatrixBase)
                and product.shape == (1, 1)):
            return product[0, 0]   # a row times a column: the dot product, a number
        return product
    if operator in ("/", "div"):
        return left / right
    if operator == "odot":
        if isinstance(left, sympy.MatrixBase) and isinstance(right, sympy.MatrixBase):
            if left.shape != right.shape:
                raise reader.error(node, f"'\\odot' needs equal shapes, not a {shape_of(left)} and "
                                         f"a {shape_of(right)}")
            return left.multiply_elementwise(right)
        return left * right
    raise reader.error(node, f"unknown operator '\\{operator}'")
