"""Index notation: `W^Q[k, i, j_1]` as a SymPy `Indexed` element of a declared tensor."""

from __future__ import annotations

import sympy

from derive.notation import TensorSpec


def tensor_head(key: str, spec: TensorSpec):
    from derive.latex.heads import Head

    def apply(reader, indices):
        if len(indices) != len(spec.axes):
            raise reader.error(None, f"{key} has {len(spec.axes)} indices, not {len(indices)}")
        return sympy.IndexedBase(key)[tuple(indices)]
    return Head(apply, bare_value=lambda reader, node: sympy.IndexedBase(key))
