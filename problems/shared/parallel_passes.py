"""Which forward passes can run in parallel over a sequence: read off their dependency graphs.

Each pass is built as a graph of computations per position (`("h", t)` depends on ...). A pass
can be parallelized over the sequence when the longest chain of dependencies does not grow with
the sequence's length: its positions are then computed side by side in a fixed number of steps.
The graphs encode each architecture's forward equations, nothing about parallelism:
- encoder-decoder RNN: h_t = f(h_{t-1}, x_t) in the encoder, s_t = g(s_{t-1}, y_{t-1}) in the
  decoder (teacher forcing in training, its own previous output at test time);
- decoder transformer: each layer's position t attends to positions <= t of the layer below;
  position t's input is the given token (training, teacher forcing) or the token predicted at
  t - 1 (test, autoregressive).
"""

from __future__ import annotations

import functools
from typing import Callable

from derive.verdict import Decision, Outcome, Witness

LAYERS = 2                 # transformer depth; any fixed depth gives the same answer
LENGTHS = (4, 8, 16)       # sequence lengths at which the longest chain is measured

Node = tuple[str, int]     # (what, position)
Graph = dict[Node, tuple[Node, ...]]


def rnn(length: int, test: bool) -> Graph:
    """Encoder over `length` inputs, decoder over `length` outputs."""
    graph: Graph = {("x", t): () for t in range(length)}
    for t in range(length):
        graph[("h", t)] = (("x", t),) + ((("h", t - 1),) if t else ())
    for t in range(length):
        previous = (("s", t - 1),) if t else (("h", length - 1),)
        token = (("y_pred", t - 1),) if test and t else (("y_given", t),)
        graph.setdefault(("y_given", t), ())
        graph[("s", t)] = previous + token
        graph[("y_pred", t)] = (("s", t),)
    return graph


def transformer(length: int, test: bool) -> Graph:
    """A causal decoder of `LAYERS` layers; test time feeds back the previous prediction."""
    graph: Graph = {}
    for t in range(length):
        graph[("y_given", t)] = ()
        graph[("in", t)] = (("y_pred", t - 1),) if test and t else (("y_given", t),)
        for layer in range(1, LAYERS + 1):
            below = "in" if layer == 1 else f"layer{layer - 1}"
            graph[(f"layer{layer}", t)] = tuple((below, j) for j in range(t + 1))
        graph[("y_pred", t)] = ((f"layer{LAYERS}", t),)
    return graph


def longest_chain(graph: Graph) -> int:
    """The number of computations on the longest dependency path (the parallel depth)."""
    @functools.cache
    def depth(node: Node) -> int:
        return 1 + max((depth(parent) for parent in graph[node]), default=0)
    return max(depth(node) for node in graph)


ARCHITECTURES: dict[str, Callable[[int, bool], Graph]] = {"rnn": rnn, "transformer": transformer}


def parallel_option(architecture: str, test: bool) -> Callable[[int], Decision]:
    """Decide 'the (training | test) forward pass of `architecture` can be parallelized'."""
    def decide(seed: int) -> Decision:
        del seed   # exact
        depths = [longest_chain(ARCHITECTURES[architecture](n, test)) for n in LENGTHS]
        grows = depths[-1] > depths[0]
        pass_name = "test" if test else "training"
        about = (f"longest dependency chain of the {pass_name} pass of the {architecture} at lengths "
                 f"{LENGTHS}: {depths}")
        if not grows:
            return Decision(Outcome.PROVED, "dependency graph", message=f"{about}: constant, parallel over positions")
        return Decision(Outcome.REFUTED, "dependency graph",
                        Witness((("length", str(LENGTHS[-1])),), "parallel (constant depth)", f"depth {depths[-1]}"),
                        f"{about}: grows with the length, each position waits for the one before")
    return decide
