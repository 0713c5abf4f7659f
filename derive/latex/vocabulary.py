"""The commands derive reads, and the refusal of every other one at its caret.

A backslash command that is neither in this vocabulary nor the base of a name the part's
notation declares is not notation derive reads: `\\foo` is an error at its column, never a
symbol (reading `\\binom{n}{k}` as the product `binom*n*k` would prove false things equal).
"""

from __future__ import annotations

import dataclasses
import re

from derive.latex import ast

GREEK = frozenset("""
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa varkappa lambda
    mu nu xi omicron pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega
    Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega varGamma varDelta varTheta
    varLambda varXi varPi varSigma varUpsilon varPhi varPsi varOmega
""".split())

# Letter-like symbols that name a quantity (`\ell`), and marks used inside scripts.
LETTERLIKE = frozenset("ell hbar imath jmath aleph partial nabla infty top intercal prime circ "
                       "star dagger".split())   # not the empty set (`\\emptyset` is no quantity)

TRIGONOMETRIC = frozenset("sin cos tan cot sec csc".split())
HYPERBOLIC = frozenset("sinh cosh tanh coth sech csch".split())
INVERSE = frozenset("arcsin arccos arctan arccot arcsec arccsc arsinh arcsinh arcosh arccosh "
                    "artanh arctanh arcoth".split())
FUNCTIONS = TRIGONOMETRIC | HYPERBOLIC | INVERSE | frozenset(
    "exp ln log lg max min det sgn gcd lcm".split())

KNOWN_COMMANDS = GREEK | LETTERLIKE | FUNCTIONS


def check_commands(statement, notation, text: str, error) -> None:
    """Raise `error(node, message)` at the first command that is not notation derive reads."""
    declared = _declared_bases(notation)
    for node in walk(statement):
        if isinstance(node, ast.Command) and node.name not in KNOWN_COMMANDS | declared:
            raise error(node, f"'\\{node.name}' is not notation derive reads")


def _declared_bases(notation) -> set[str]:
    """The leading word of every declared key: `sigma` for `sigma_w`, `KL` for `KL`."""
    bases = set()
    for table in (notation.symbols, notation.functions, notation.sequences,
                  notation.distributions, notation.tensors):
        for key in table:
            match = re.match(r"[A-Za-z]+", key)
            if match:
                bases.add(match.group())
    return bases


def walk(node):
    """Every syntax node under `node` (dataclass fields and tuples), depth first."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, tuple):
            stack.extend(current)
        elif dataclasses.is_dataclass(current):
            yield current
            stack.extend(getattr(current, field.name) for field in dataclasses.fields(current))
