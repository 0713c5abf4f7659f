"""Stated programs: systems of index-notation equations, read from a solution and executed.

A part of kind `equations` states a program: assignments `NAME[indices] = expression` in the
course's index notation (a gated RNN cell, a residual MLP, a gated CNN). Each stated line is read
with `derive.latex.parse_statement` (the text is never evaluated as Python); the right side
becomes a small evaluator over the syntax tree, and the program runs on numpy inputs that the
part draws from its seed. The rules of the notation:

* lowercase indices on the left are free: the line runs for every value of them (sizes are
  declared in `Spec.sizes`); on the right a lowercase index is a free index of the left, a
  variable of an enclosing `\\sum_{...}` (over its declared size), the loop variable or a
  declared constant (`L`); index arithmetic (`t-1`, `x + \\Delta x`) is evaluated;
* repeated capital indices in a product are summed over the axis they index: the course's
  convention that "repeated capital indices in a product of tensors are implicitly summed";
* a name declared as a sequence takes its subscript as an index (`h_{\\ell+1}`,
  `W_{\\ell+1}^{h,h}`); any other subscript is part of the name (`G_1`);
* lines between the first and the last `\\vdots` repeat for each value of the loop variable
  (the layers); without `\\vdots`, the lines from the first to the last that use the loop
  variable repeat and the others run once, before or after them (a cell over time steps,
  where every line uses t, repeats whole).

What goes wrong is reported with file:line:column. A line that cannot be read raises
`LatexParseError` (the engine makes it `unparsed`). A name used before it is defined and
shape or index mismatches are collected from every line before anything runs (`ProgramError`);
an element read before it is assigned, or outside its axis, stops the run.

The modules, in the order a program goes through them: `spec` (what a part declares), `store`
(the tensors), `reading` (lines -> assignments, with `syntax`), `compiler` (right sides ->
closures, with `indices`, `contraction` and `steps`), `running`, `decisions` (a run -> a
`Decision`), `lines` (each line run on reference values -> a decision per line); `errors` holds
the located problems.
"""

from __future__ import annotations

from derive.programs.decisions import (
    TOLERANCE,
    agreement,
    ordered,
    problem_decision,
    run_and_decide,
)
from derive.programs.errors import Problem, ProgramError, at
from derive.programs.lines import decide_lines
from derive.programs.reading import Assignment, Program, Target, read_program
from derive.programs.running import run
from derive.programs.spec import Spec
from derive.programs.store import Key, Store, Tensor, display, inputs_of, stored_array

__all__ = [
    "TOLERANCE",
    "Assignment",
    "Key",
    "Problem",
    "Program",
    "ProgramError",
    "Spec",
    "Store",
    "Target",
    "Tensor",
    "agreement",
    "at",
    "decide_lines",
    "display",
    "inputs_of",
    "ordered",
    "problem_decision",
    "read_program",
    "run",
    "run_and_decide",
    "stored_array",
]
