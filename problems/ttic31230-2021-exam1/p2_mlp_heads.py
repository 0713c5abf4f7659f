"""Problem 2, parts (a) and (b): the MLP regressor with a loss head on every layer.

The same problem appears in seed 000 and seed 001; both exams use the one encoding in
`shared.mlp_heads`. Part (c), the residual rewrite, is encoded in `p2_residual_rewrite.py`.
"""

from __future__ import annotations

from shared.mlp_heads import PARTS

__all__ = ["PARTS"]
