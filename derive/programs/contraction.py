"""Products that sum their repeated capital indices, and sums over declared index sizes.

The course's convention: repeated capital indices in a product of tensors are implicitly summed,
over the axis they index. A capital index's size comes from the axes it indexes; two different
sizes, or an open axis (such as time), are shape problems of the line.
"""

from __future__ import annotations

import itertools
from typing import Callable

from derive.programs.indices import IndexCompiler
from derive.programs.steps import Code, Env


def contract(compiler: IndexCompiler, node, factors: list[tuple[str, Code]]) -> Code:
    """Multiply the factors; sum every capital index that occurs in two or more of them."""
    counts: dict[str, int] = {}
    for _, code in factors:
        for capital in code.capitals:
            counts[capital] = counts.get(capital, 0) + 1
    sizes = union(compiler, node, *(code for _, code in factors))
    summed = sorted(capital for capital, count in counts.items() if count >= 2)
    for capital in (capital for capital in summed if sizes[capital] is None):
        message = (
            f"the capital index {capital} indexes an axis of no fixed size; it cannot be summed"
        )
        compiler.problem("shape", node, message, capital, "an axis of declared size")
    ranges = [range(sizes[capital] or 0) for capital in summed]
    parts = [(operator == "/", code.run) for operator, code in factors]

    def multiply(env: Env) -> float:
        result = 1.0
        for divide, run in parts:
            result = result / run(env) if divide else result * run(env)
        return result

    def run(env: Env) -> float:
        if not summed:
            return multiply(env)
        return summing(env, summed, ranges, multiply)

    return Code(run, {capital: sizes[capital] for capital in sizes if capital not in summed})


def summing(env: Env, names, ranges, body: Callable[[Env], float]) -> float:
    """Sum `body` over every value of the named indices, restoring what they were bound to."""
    saved = {name: env[name] for name in names if name in env}
    total = 0.0
    for values in itertools.product(*ranges):
        env.update(zip(names, values))
        total += body(env)
    for name in names:
        env.pop(name, None)
    env.update(saved)
    return total


def merge_size(compiler: IndexCompiler, node, sizes: dict, capital: str, size) -> None:
    """Record the size a capital index ranges over; two different sizes are a shape problem."""
    known = sizes.get(capital, size)
    if known is not None and size is not None and known != size:
        message = f"the summed index {capital} indexes axes of sizes {known} and {size}"
        compiler.problem(
            "shape", node, message, f"{capital} over {size}", f"{capital} over {known}"
        )
    sizes[capital] = known if known is not None else size


def union(compiler: IndexCompiler, node, *codes: Code) -> dict:
    """The unsummed capital indices of several codes, with their sizes merged."""
    sizes: dict[str, int | None] = {}
    for code in codes:
        for capital, size in code.capitals.items():
            merge_size(compiler, node, sizes, capital, size)
    return sizes
