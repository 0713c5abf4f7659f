"""Seed 000, problem 3: a UGRNN with a second gate on the input of its tanh.

The encoding is shared with seed 001 problem 5: see `shared.ugrnn` (the cell executed on random
tensors, against a numpy reference and with the new gate held at 1, 0 and 1/4).
"""

from __future__ import annotations

from shared.ugrnn import part

PARTS = (part("3"),)
