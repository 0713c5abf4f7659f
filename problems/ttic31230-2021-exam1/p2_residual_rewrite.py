"""Seed 000, problem 2c: the multi-head MLP rewritten with residual connections and one loss.

The encoding is shared with the other exam that asks the same question: see
`shared.residual_mlp` (the program executed on random weights against a numpy residual MLP).
"""

from __future__ import annotations

from shared.residual_mlp import PART

PARTS = (PART,)
