"""Canonical keys for names, so that `\\sigma_{w}`, `\\sigma_w` and `\\sigma_{ w }` agree.

A key is the base name (letters, a command without its backslash, a word, or an accent such as
`tilde{W}`), then `_sub`, `^sup`, primes and `.attribute`. A script of one token is written
bare (`sigma_w`, `W^Q`, `lambda^*`); a longer one in braces (`W^{h,R}`, `sigma_{ell+1}`).
"""

from __future__ import annotations

import functools
import re

from derive.latex import ast


def text_of(node) -> str:
    """Compact canonical text of a syntax node (used for keys and target matching)."""
    match node:
        case ast.Number(text=text):
            return text
        case ast.Letter(char=char):
            return char
        case ast.Command(name=name):
            return name
        case ast.Star():
            return "*"
        case ast.Word(style="angle", text=text):
            return f"<{text}>"
        case ast.Word(style=style, text=text):
            return text if style in _PLAIN_WORD_STYLES else f"{style}{{{text}}}"
        case ast.Conditional(value=value, given=given):
            return f"{text_of(value)}|{text_of(given)}"
        case ast.Event(left=left, relation=relation, right=right):
            return f"{text_of(left)}{_relation_text(relation)}{text_of(right)}"
        case ast.Accent(accent=accent, body=body):
            return f"{accent}{{{text_of(body)}}}"
        case ast.Group(body=body):
            return text_of(body)
        case ast.Delimited(kind=kind, items=items):
            left, right = _DELIMITERS[kind]
            return left + ",".join(text_of(item) for item in items) + right
        case ast.Postfixed(atom=atom, postfixes=postfixes):
            return text_of(atom) + "".join(_postfix_text(p) for p in postfixes)
        case ast.Sum(terms=terms):
            return _sum_text(terms)
        case ast.Product():
            return _product_text(node)
        case ast.Frac(numerator=num, denominator=den):
            return f"frac{{{text_of(num)}}}{{{text_of(den)}}}"
        case ast.Sqrt(body=body):
            return f"sqrt{{{text_of(body)}}}"
        case ast.Script():
            return script_text(node)
        case ast.ScriptItem(left=left, relation=relation, right=right):
            return text_of(left) + (f"{_relation_text(relation)}{text_of(right)}" if relation else "")
        case ast.Ellipsis_():
            return "..."
    return type(node).__name__


_PLAIN_WORD_STYLES = {"operatorname", "text", "textrm", "mathrm", "textit", "mathit"}
_DELIMITERS = {"paren": ("(", ")"), "bracket": ("[", "]"), "brace": ("{", "}"),
               "open_closed": ("(", "]"), "closed_open": ("[", ")")}


def _relation_text(relation: str) -> str:
    return relation if relation in ("=", "<", ">") else f" {relation} "


def script_text(script: ast.Script, *, bare_if_single: bool = True) -> str:
    inner = ",".join(text_of(item) for item in script.items)
    single = len(script.items) == 1 and _is_token(script.items[0].left) and not script.items[0].relation
    return inner if (single and bare_if_single) else "{" + inner + "}"


def _is_token(node) -> bool:
    return isinstance(node, (ast.Letter, ast.Number, ast.Command, ast.Star, ast.Word)) or (
        isinstance(node, ast.Sum) and len(node.terms) == 1 and node.terms[0][0] == "+"
        and not node.terms[0][1].bigop and len(node.terms[0][1].items) == 1
        and not node.terms[0][1].items[0].operator and _is_token(node.terms[0][1].items[0].factor))


def _postfix_text(postfix: ast.Postfix) -> str:
    if postfix.kind == "sub":
        return "_" + script_text(postfix.script)
    if postfix.kind == "sup":
        return "^" + script_text(postfix.script)
    if postfix.kind == "prime":
        return postfix.text
    if postfix.kind == "attribute":
        return "." + postfix.text
    if postfix.kind == "factorial":
        return "!"
    if postfix.kind == "percent":
        return "%"
    if postfix.kind == "degree":
        return "^circ"
    if postfix.kind == "one_sided":
        return "^" + postfix.text
    return "|_" + script_text(postfix.script)


def _sum_text(terms) -> str:
    out = ""
    for index, (sign, term) in enumerate(terms):
        if index or sign != "+":
            out += sign
        out += _product_text(term)
    return out


def _product_text(product: ast.Product) -> str:
    out = "".join((f"\\{item.operator} " if item.operator else "") + text_of(item.factor)
                  for item in product.items)
    if product.bigop:
        scripts = "".join(_postfix_text(p) for p in product.bigop.scripts)
        out += f"{product.bigop.operator}{scripts} " + _product_text(product.body)
    return out


@functools.lru_cache(maxsize=4096)
def name_key(latex: str) -> str:
    """The canonical key of a name written in LaTeX.

    >>> name_key(r"\\sigma_{w}"), name_key(r"W^{h, R}"), name_key(r"\\lambda^*")
    ('sigma_w', 'W^{h,R}', 'lambda^*')
    """
    from derive.latex.syntax import parse_statement

    statement = parse_statement(latex)
    return text_of(statement.sides[0])


_BRACED_WORD_SCRIPT = re.compile(r"([_^])\{([A-Za-z0-9]+)\}")
_CALLIGRAPHIC = re.compile(r"mathcal\{([A-Za-z])\}")


def loose_key(key: str) -> str:
    """A key as a reader of the page sees it: `n_{conv2}` (italic letters) and `n_{\\text{conv2}}`
    (key `n_conv2`) name the same quantity, as do `\\mathcal{L}` and `L`; used to match a stated
    name to a declared one or an answer's name."""
    return _BRACED_WORD_SCRIPT.sub(r"\1\2", _CALLIGRAPHIC.sub(r"\1", key))
