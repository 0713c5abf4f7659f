"""Running a stated program: read its lines, compile them against the inputs, run the sections."""

from __future__ import annotations

from typing import Mapping, Sequence

from derive.latex.names import name_key
from derive.programs.compiler import compile_program
from derive.programs.reading import read_program
from derive.programs.spec import Spec
from derive.programs.store import Store, Tensor, inputs_of
from derive.solution import StatedLine


def run(
    lines: Sequence[StatedLine],
    spec: Spec,
    inputs: Mapping,
    overrides: Mapping[str, float] | None = None,
) -> Store:
    """Read the stated lines as a program and run it on `inputs`; the store after the run.

    `overrides` maps a name (LaTeX) to a constant: its lines assign that constant instead of
    their right side (which is then neither checked nor run), to test what a gate does.

    Raises:
        LatexParseError: a line cannot be read (located in the file).
        ProgramError: names used before they are defined, shape or index mismatches.
    """
    program = read_program(lines, spec)
    store = {
        key: Tensor(tensor.axes, dict(tensor.values)) for key, tensor in inputs_of(inputs).items()
    }
    fixed = {name_key(name): float(value) for name, value in (overrides or {}).items()}
    steps = compile_program(program, spec, store, fixed)
    base = dict(spec.constants)
    for step in steps.prologue:
        step.execute(base)
    if spec.loop is not None:
        variable, values = spec.loop
        for value in values:
            for step in steps.body:
                step.execute({**base, variable: value})
    for step in steps.epilogue:
        step.execute(base)
    return store
