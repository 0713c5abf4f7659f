"""Seed 004, part 2: three short questions answered in words (listed as prose, not checked)."""

from __future__ import annotations

from derive.problem import Kind, Part

PARTS = (
    Part("sa1", Kind.PROSE, "Weigh small against large minibatches for stochastic gradient descent."),
    Part("sa2", Kind.PROSE,
         "Name the main weakness shared by sigmoid and tanh activations and an activation that avoids it."),
    Part("sa3", Kind.PROSE, "Describe residual (skip) connections and the reasons for using them."),
)
