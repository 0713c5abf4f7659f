"""Letters written together that spell a declared word, and words that are attributes.

`K L` reads as the word `KL` when the notation declares it (longest word first), and
`\\sigma_L^2 \\operatorname{grad}` attaches the attribute word `grad` to the name before it.
"""

from __future__ import annotations

from derive.latex import ast
from derive.notation import Notation


def is_name_atom(atom) -> bool:
    return isinstance(atom, (ast.Letter, ast.Command, ast.Word, ast.Accent))


def merge_words(factors, notation: Notation):
    """Join letters written together into a declared word (`K L` -> `KL`), longest first."""
    merged, index = [], 0
    while index < len(factors):
        run = _letter_run(factors, index)
        word_length = _longest_word(run, notation)
        if word_length >= 2:
            merged.append((factors[index][0], _word_node(factors[index:index + word_length])))
            index += word_length
        else:
            merged.append(factors[index])
            index += 1
    return _attach_attribute_words(merged, notation)


def _attach_attribute_words(factors, notation: Notation):
    """`\\sigma_L^2 \\operatorname{grad}` -> `\\sigma_L^2.grad` where `grad` is declared an
    attribute word: the word belongs to the name before it, it does not multiply it."""
    attached = []
    for operator, node in factors:
        if (isinstance(node, ast.Word) and node.text in notation.attribute_words and attached
                and not operator and _is_name_like(attached[-1][1])):
            previous_operator, previous = attached.pop()
            attached.append((previous_operator, _with_attribute(previous, node)))
        else:
            attached.append((operator, node))
    return attached


def _is_name_like(node) -> bool:
    atom = node.atom if isinstance(node, ast.Postfixed) else node
    return is_name_atom(atom)


def _with_attribute(node, word: ast.Word):
    attribute = ast.Postfix("attribute", text=word.text, column=word.column, end=word.end)
    if isinstance(node, ast.Postfixed):
        return ast.Postfixed(node.atom, node.postfixes + (attribute,), column=node.column, end=word.end)
    return ast.Postfixed(node, (attribute,), column=node.column, end=word.end)


def _letter_run(factors, start) -> list:
    run = []
    for position in range(start, len(factors)):
        operator, node = factors[position]
        letter = node.atom if isinstance(node, ast.Postfixed) else node
        if not isinstance(letter, ast.Letter) or (run and operator):
            break
        if run and (run[-1][1] != letter.column or isinstance(run[-1][2], ast.Postfixed)):
            break
        run.append((letter.char, letter.end, node))
    return run


def _longest_word(run, notation: Notation) -> int:
    text = "".join(char for char, _, _ in run)
    if text in _FUNCTION_SPELLINGS or (text in ENGLISH_WORDS and not notation.declares(text)):
        return len(text)   # `sin x` typed without the backslash: the function, as a reader takes it
    for length in range(len(text), 1, -1):
        word = text[:length]
        if word in notation.words or word in _BUILTIN_WORDS or notation.declares(word):
            return length
    return 0


# Function names read when a whole run of letters spells one (`sin x`), never as a prefix: `cost`
# stays four letters.
_FUNCTION_SPELLINGS = {"sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "arcsin", "arccos",
                       "arctan"}
_BUILTIN_WORDS = {"softmax", "exp", "ln", "log", "sigmoid", "tanh", "max", "min", "ReLU", "argmax"}


# Words typed inside a formula that are no product of letters: connectives and units
# (`a = 1 and b = 2`, `5 cm`). Read as a word, which the reader refuses at its caret.
ENGLISH_WORDS = frozenset("and or if then else for where when with is are the of to so not iff "
                          "all any each per but also hence thus since cm mm km kg pct percent "
                          "hours hour sec seconds units".split())


def _word_node(factors):
    nodes = [node for _, node in factors]
    letters = [node.atom if isinstance(node, ast.Postfixed) else node for node in nodes]
    spelled = "".join(letter.char for letter in letters)
    word = ast.Word("typed" if spelled in ENGLISH_WORDS else "text", spelled,
                    column=letters[0].column, end=letters[-1].end)
    last = nodes[-1]
    if isinstance(last, ast.Postfixed):
        return ast.Postfixed(word, last.postfixes, column=word.column, end=last.end)
    return word
