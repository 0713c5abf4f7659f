"""A synthetic class for `benchmarks/grade.py`: students' answer files for ttic31230-2021-exam1.

Each student answers parts 1a, 1b, 2a, 2b and 4b, or leaves some out. An answer is drawn from
ways a student writes the key's result differently (factors reordered, the normaliser kept as
a fraction, an intermediate step or not) or from the typical mistakes (a flipped sign, a factor
off, an off-by-one, a dropped term, an inverted fraction, a wrong order); then some of its
expressions are spelled another equal way (`\\exp` for `e^`, `\\log` for `\\ln`, `\\cdot`,
`\\left(`) and its layout is varied (spaces, how display blocks split, the prose around it).
Everything is drawn from `random.Random(seed)`: the same seed writes the same class.
"""

from __future__ import annotations

import random
from pathlib import Path

EXAM = "ttic31230-2021-exam1"
ANSWERED = 0.85   # chance that a student answers a given part
WRONG = 0.3       # chance that an answered part holds a typical mistake

# Each part: (right ways, typical mistakes); each way is a list of display lines.
NORMALISER = r"\frac{e^{-\beta i}}{\sum_{i=0}^{\infty} e^{-\beta i}}"
ENTROPY_SUM = r"\sum_{i=0}^{\infty} P(i) \left( -\ln(1 - e^{-\beta}) + \beta i \right)"
PARTS: dict[str, tuple[list[list[str]], list[list[str]]]] = {
    "1a": ([
        [r"P(i) = (1 - e^{-\beta}) e^{-\beta i}"],
        [r"P(i) = e^{-\beta i} (1 - e^{-\beta})"],
        [rf"P(i) = {NORMALISER}", r"= (1 - e^{-\beta}) e^{-\beta i}"],
        [r"P(i) = (1 - e^{-\beta}) \exp(-\beta i)"],
        [r"P(i) = e^{-\beta i} - e^{-\beta (i + 1)}"],
        [r"P(i) = \frac{e^{-\beta i}}{1 / (1 - e^{-\beta})}"],
    ], [
        [r"P(i) = (1 + e^{-\beta}) e^{-\beta i}"],
        [r"P(i) = (1 - e^{-\beta}) e^{-\beta (i + 1)}"],
        [r"P(i) = \frac{1}{(1 - e^{-\beta}) e^{-\beta i}}"],
        [rf"P(i) = {NORMALISER}", r"= \frac{e^{-\beta i}}{1 - e^{-\beta}}"],
    ]),
    "1b": ([
        [r"H(P) = -\ln(1 - e^{-\beta}) + \frac{\beta e^{-\beta}}{1 - e^{-\beta}}"],
        [r"H(P) = -\ln(1 - e^{-\beta}) + \frac{\beta}{e^{\beta} - 1}"],
        [rf"H(P) = {ENTROPY_SUM}",
         r"= -\ln(1 - e^{-\beta}) + \frac{\beta e^{-\beta}}{1 - e^{-\beta}}"],
        [r"H(P) = \frac{\beta e^{-\beta}}{1 - e^{-\beta}} - \ln(1 - e^{-\beta})"],
    ], [
        [r"H(P) = \ln(1 - e^{-\beta}) - \frac{\beta e^{-\beta}}{1 - e^{-\beta}}"],
        [r"H(P) = -\ln(1 - e^{-\beta})"],
        [rf"H(P) = {ENTROPY_SUM}", r"= -\ln(1 - e^{-\beta}) + \frac{\beta}{1 - e^{-\beta}}"],
        [r"H(P) = -\ln(1 - e^{-\beta}) + \frac{\beta e^{-\beta}}{(1 - e^{-\beta})^2}"],
    ]),
    "2b": ([[r"O(L)"]], [[r"O(L^2)"], [r"O(L \log L)"]]),
    "4b": ([
        [r"N_{\text{original}} = 2(I \times J)", r"N_{\text{folded}} = J^2", r"I = J/2"],
        [r"N_{\text{original}} = 2 I J", r"N_{\text{folded}} = J \cdot J", r"I = \frac{J}{2}"],
    ], [
        [r"N_{\text{original}} = I J", r"N_{\text{folded}} = J^2", r"I = J"],
        [r"N_{\text{original}} = 2 I J", r"N_{\text{folded}} = J^3", r"I = \frac{J}{2}"],
    ]),
}
PROSE_2A = [
    "Losses only at the last layer give the lower layers weak gradients; losses near them fix that.",
    "With a loss at every layer the lower layers get a useful gradient signal of their own.",
    "The early layers learn little when the only loss is at the top, so add losses near them.",
]
OPENINGS = ["", "We compute it directly.", "By the definition in the problem:",
            "Normalising over i gives", "Answer:"]


# Equal spellings a student may use instead (each applied or not, at random, per answer): these
# change the text beyond layout, so identical answers are only those a student really shares.
REWRITES: list[tuple[str, tuple[str, ...]]] = [
    (r"e^{-\beta i}", (r"e^{-i \beta}", r"\exp(-\beta i)", r"e^{-\beta \cdot i}")),
    (r"(1 - e^{-\beta})", (r"\left(1 - e^{-\beta}\right)", r"(1 - \exp(-\beta))")),
    (r"\ln", (r"\log",)),
    (r") e^", (r") \cdot e^",)),
    (r"2 I J", (r"2 \cdot I \cdot J", r"2 J I")),
    (r"I \times J", (r"J \times I", r"I J")),
    (r"\frac{J}{2}", (r"J/2", r"\frac{1}{2} J")),
]


def rewritten(line: str, rng: random.Random) -> str:
    """The line with some of its expressions spelled another (equal) way."""
    for old, alternatives in REWRITES:
        if old in line and rng.random() < 0.5:
            line = line.replace(old, rng.choice(alternatives))
    return line


def spaced(line: str, rng: random.Random) -> str:
    """The same line with the layout a person might give it: spaces around operators or none."""
    style = rng.choice(("tight", "as is", "wide"))
    if style == "tight":
        return "".join(line.split(" ")) if "\\" not in line else line.replace(" = ", "=")
    if style == "wide":
        return line.replace("=", " = ").replace("+", " + ").replace("  ", " ")
    return line


def display(lines: list[str], rng: random.Random) -> str:
    """Display blocks: one per line, or one aligned block, as students do both."""
    if len(lines) > 1 and lines[1].startswith("=") and rng.random() < 0.5:
        rows = [lines[0].replace(" = ", " &= ", 1)] + ["&" + line for line in lines[1:]]
        return "$$\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}$$\n"
    return "\n".join(f"$${line}$$\n" for line in lines)


def answer(part: str, rng: random.Random) -> tuple[str, str]:
    """(kind, Markdown) of one part: 'right' or 'wrong', with its heading and prose."""
    if part == "2a":
        return "prose", f"## 2a\n\n{rng.choice(PROSE_2A)}\n"
    right, wrong = PARTS[part]
    kind = "wrong" if rng.random() < WRONG else "right"
    chosen = rng.choice(wrong if kind == "wrong" else right)
    lines = [spaced(rewritten(line, rng), rng) for line in chosen]
    opening = rng.choice(OPENINGS)
    return kind, f"## {part}\n\n{opening}\n\n{display(lines, rng)}"


def write_class(folder: Path, students: int, seed: int) -> dict[str, int]:
    """Write `students` answer files (a few as `<id>/solution.md`); count what was written."""
    rng = random.Random(seed)
    counts = {"right": 0, "wrong": 0, "prose": 0, "unanswered": 0}
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(students):
        student = f"s{number:04d}"
        parts = []
        for part in ("1a", "1b", "2a", "2b", "4b"):
            if rng.random() >= ANSWERED:
                counts["unanswered"] += 1
                continue
            kind, text = answer(part, rng)
            counts[kind] += 1
            parts.append(text)
        text = f"---\nexam: {EXAM}\n---\n# Exam 1, {student}\n\n" + "\n".join(parts)
        path = folder / student / "solution.md" if number % 10 == 0 else folder / f"{student}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return counts
