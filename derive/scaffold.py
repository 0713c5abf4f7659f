"""`derive new EXAM-ID [--from KEY.md]`: the skeleton of a new exam that loads and lists at once.

It writes `problems/<exam-id>/exam.toml`, the key as `solution.md`, and one part module per
`## <part-id>` heading of the key. Each module declares, as real symbols, the names the key's
lines use in that part (found by reading them with the grammar the checks use), quotes the
lines, and marks with TODO where the derivation goes. Until the author gives a part an answer,
it is a prose part: listed, not checked, so the exam loads, lists and verifies from the start.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from pathlib import Path

from derive.errors import DeriveError

_EXAM_ID = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")
_WORD = re.compile(r"[A-Za-z]{2,}")
# Words that name a LaTeX command inside a canonical key (`lambda^*` is `\lambda^*`).
_COMMANDS = frozenset("""alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota
kappa lambda mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega
Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega ell""".split())


class ScaffoldError(DeriveError, ValueError):
    """An exam that cannot be scaffolded (a bad id, a directory already there, a key that
    names another exam)."""


@dataclass(frozen=True)
class PartSketch:
    """What the key says about one part: its id, its stated lines and the names they use."""

    id: str
    lines: tuple[str, ...]
    names: tuple[str, ...]          # canonical keys, in the order first used
    unread: tuple[str, ...]         # lines the grammar could not read yet, with the reason
    heads: tuple[str, ...] = ()     # LaTeX of what the key's chains begin with: likely targets


def scaffold(exam_id: str, root: Path, key: Path | None = None) -> list[Path]:
    """Write the skeleton of exam `exam_id` under `root`; return the files written.

    Raises:
        ScaffoldError: the id is not a lower-case slug, the exam exists, or the key's front
            matter names a different exam.
        SolutionFormatError: the key cannot be read as a solution file.
    """
    if not _EXAM_ID.match(exam_id):
        raise ScaffoldError(f"exam id '{exam_id}': use lower-case letters, digits, '-' and '.' "
                            "(like 'dl-2026-midterm')")
    directory = Path(root) / exam_id
    if directory.exists():
        raise ScaffoldError(f"{directory} already exists; choose another id or remove it")
    sketches, key_text = _sketches(exam_id, key) if key else ([], None)
    directory.mkdir(parents=True)
    written = [_write(directory / "exam.toml", _exam_toml(exam_id, key))]
    if key_text is not None:
        written.append(_write(directory / "solution.md", key_text))
    for number, sketch in enumerate(sketches or [PartSketch("1", (), (), ())], start=1):
        written.append(_write(directory / f"p{number}_{_slug(sketch.id)}.py",
                              part_module(exam_id, sketch)))
    return written


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _exam_toml(exam_id: str, key: Path | None) -> str:
    source = key.name if key else "TODO: the source document"
    return f'title = "{exam_id}"   # TODO: the exam\'s title\nsource = "{source}"\n'


def _sketches(exam_id: str, key: Path) -> tuple[list[PartSketch], str]:
    """One sketch per part of the key, and the key's text with front matter naming the exam."""
    from derive.solution import read_solution

    solution = read_solution(key)
    if solution.exam and solution.exam != exam_id:
        raise ScaffoldError(f"{key}: its front matter names exam '{solution.exam}'; "
                            f"run `derive new {solution.exam} --from {key}` or edit the front matter")
    text = key.read_text(encoding="utf-8")
    if not solution.exam:
        text = f"---\nexam: {exam_id}\n---\n{text}"
    return [sketch_part(part.id, [line.text for line in part.lines])
            for part in solution.parts.values()], text


def sketch_part(part_id: str, lines: list[str]) -> PartSketch:
    """Read each stated line in an empty notation and collect the names it uses.

    >>> sketch_part("1", [r"\\lambda^* = \\frac{\\mu}{1 + \\mu}"]).names
    ('lambda^*', 'mu')
    """
    from derive.errors import LatexParseError
    from derive.latex import read
    from derive.notation import Notation

    names: dict[str, None] = {}
    heads: dict[str, None] = {}
    unread = []
    for line in lines:
        try:
            reading = read(line, Notation())
        except LatexParseError as error:
            unread.append(f"{line}  <- {error.expected}")
            continue
        names.update(dict.fromkeys(sorted(reading.undeclared)))
        head = _head_latex(line)
        if reading.relations and not reading.lead and re.search(r"[A-Za-z]", head):
            heads[head] = None
    return PartSketch(part_id, tuple(lines), tuple(names), tuple(unread), tuple(heads))


def _head_latex(line: str) -> str:
    """The text of a line before its first relation: what its chain begins with."""
    return re.split(r"\s*(?:=|<|>|\\le\b|\\ge\b|\\leq\b|\\geq\b|\\approx\b)", line.strip(), maxsplit=1)[0]


def latex_of(key: str) -> str:
    """LaTeX that spells a canonical key (`lambda^*` -> `\\lambda^*`).

    >>> latex_of("sigma_w"), latex_of("W^{h,R}")
    ('\\\\sigma_w', 'W^{h,R}')
    """
    return _WORD.sub(lambda word: "\\" + word[0] if word[0] in _COMMANDS else word[0], key)


def python_name(key: str) -> str:
    """A Python identifier for a canonical key (`lambda^*` -> `lambda_star`).

    >>> python_name("lambda^*"), python_name("sigma_{ell+1}"), python_name("lambda")
    ('lambda_star', 'sigma_ell_1', 'lambda_')
    """
    name = key.replace("^*", "_star").replace("'", "_prime")
    name = re.sub(r"_+", "_", re.sub(r"\W+", "_", name)).strip("_") or "name"
    if name[0].isdigit():
        name = "n_" + name
    return name + "_" if keyword.iskeyword(name) else name


def _slug(part_id: str) -> str:
    return "part_" + (re.sub(r"\W+", "_", part_id).strip("_") or "x")


def part_module(exam_id: str, sketch: PartSketch) -> str:
    """The text of a part module that loads as it is: the names declared, the part prose."""
    declared = [(key, python_name(key), latex_of(key)) for key in sketch.names]
    symbols = "".join(f'{name} = sympy.Symbol("{key}", real=True)\n' for key, name, _ in declared)
    table = ", ".join(f'r"{latex}": {name}' for _, name, latex in declared)
    quoted = "".join(f"#   {line}\n" for line in sketch.lines) or "#   (no key yet)\n"
    unread = "".join(f"#   {line}\n" for line in sketch.unread)
    unread = f"# Lines the grammar cannot read yet (declare what they need):\n{unread}" if unread else ""
    target = sketch.heads[0] if sketch.heads else "<target as the key writes it>"
    return _MODULE.format(exam=exam_id, part=sketch.id, symbols=symbols or "\n", table=table,
                          quoted=quoted, unread=unread + _family_hints(sketch.names),
                          target=target)


_INDEXED = re.compile(r"^([A-Za-z]+)_([a-z])$")


def _family_hints(names: tuple[str, ...]) -> str:
    """A hint for names indexed by a letter (`z_k`, `x_i`): they are entries of a family.

    >>> print(_family_hints(("z_k", "y_k", "a")), end="")
    # z_k, y_k look like entries of families: declare z = Family("z", 3, real=True) (from
    # derive.notation) with sequences={"z": z}, and give the index its range (docs/encoding.md).
    """
    indexed = [name for name in names if _INDEXED.match(name)]
    if not indexed:
        return ""
    base = _INDEXED.match(indexed[0])[1]
    return (f"# {', '.join(indexed)} look like entries of families: declare {base} = "
            f'Family("{base}", 3, real=True) (from\n# derive.notation) with sequences={{"{base}": '
            f"{base}}}, and give the index its range (docs/encoding.md).\n")


_MODULE = '''"""{exam}, part {part}: TODO say in a sentence what the part asks.

The names the key uses in this part are declared below as real symbols: give each its
assumptions (positive=True, integer=True), make a name a function or a family where the key
applies or indexes it (see docs/encoding.md).
"""

from __future__ import annotations

import sympy

from derive.domain import IntegerRange, Interval  # noqa: F401  (for DOMAIN)
from derive.notation import Notation
from derive.problem import Answer, Kind, Part  # noqa: F401  (Answer: for the TODO below)

{symbols}
NOTATION = Notation.of(symbols={{{table}}})
DOMAIN = {{}}   # where to sample each symbol, e.g. {{eta: Interval(0.1, 2.0)}}

# The key states:
{quoted}{unread}
# TODO: the derivation. Derive the reference (never type the expected answer), for instance
# with a helper of derive.derivations, then turn the part below into, e.g.,
#   Part("{part}", Kind.EXPRESSION, "...", NOTATION, DOMAIN,
#        answers=(Answer(r"{target}", reference),))

PARTS = (
    Part("{part}", Kind.PROSE, "TODO: the question of part {part}.", NOTATION, DOMAIN),
)
'''
