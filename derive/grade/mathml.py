"""LaTeX from a submission -> MathML that is safe to put in a page, or the escaped source.

latex2mathml writes what it reads into its output: `\\text{<script>}` becomes a raw `<script>`
element and `\\href{javascript:...}` an `href` attribute. So its element tree (not its text) is
taken and written out again through an allow-list: MathML elements only, presentation
attributes only, every text and attribute value escaped. Anything it cannot convert is shown
as escaped LaTeX source.
"""

from __future__ import annotations

import html
import re
from typing import Any

_ELEMENTS = frozenset({
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msup", "msub", "msubsup",
    "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd",
    "mstyle", "menclose", "mpadded", "mphantom", "merror", "mfenced", "mmultiscripts",
    "mprescripts", "none", "semantics"})
_ATTRIBUTES = frozenset({
    "display", "displaystyle", "mathvariant", "stretchy", "fence", "separator", "form",
    "lspace", "rspace", "accent", "accentunder", "linethickness", "columnalign", "rowalign",
    "columnlines", "rowlines", "columnspacing", "rowspacing", "frame", "width", "height",
    "depth", "minsize", "maxsize", "movablelimits", "largeop", "symmetric", "scriptlevel",
    "notation", "open", "close", "separators"})
_SAFE_VALUE = re.compile(r"^[\w .%+\-#]*$")   # lengths, names, numbers: never a URL or script
MATHML_NAMESPACE = "http://www.w3.org/1998/Math/MathML"


def to_mathml(latex: str, *, display: bool) -> str:
    """Safe MathML for `latex`, or its escaped source in a `<code>` when it does not convert.

    >>> to_mathml(r"\\text{<b>}", display=False).count("<b>")
    0
    """
    try:
        from latex2mathml.converter import convert_to_element
        element = convert_to_element(latex, display="block" if display else "inline")
    except Exception:   # noqa: BLE001 -- the library raises many kinds on bad LaTeX; any of
        # them means "show the source instead", and the source is escaped below
        return source_fallback(latex)
    return _write(element)


def source_fallback(latex: str) -> str:
    return f'<code class="tex">{html.escape(latex)}</code>'


def _write(element: Any) -> str:
    tag = element.tag.rsplit("}", 1)[-1]
    if tag not in _ELEMENTS:
        # Unknown elements are dropped with their markup; their text survives, escaped.
        return "".join(_text(element.text) + _write(child) + _text(child.tail)
                       for child in element) if len(element) else _text(element.text)
    attributes = "".join(f' {name}="{html.escape(value, quote=True)}"'
                         for name, value in sorted(element.attrib.items())
                         if name in _ATTRIBUTES and _SAFE_VALUE.match(value))
    if tag == "math":
        attributes = f' xmlns="{MATHML_NAMESPACE}"' + attributes
    inner = _text(element.text) + "".join(_write(child) + _text(child.tail) for child in element)
    return f"<{tag}{attributes}>{inner}</{tag}>"


def _text(text: str | None) -> str:
    """Text of the tree: latex2mathml stores entities (`&#x02212;`) as text; decode, re-escape."""
    return html.escape(html.unescape(text)) if text else ""
