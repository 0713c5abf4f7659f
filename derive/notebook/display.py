"""Rich renderables as Jupyter MIME bundles, so verdicts look the same in a notebook as in a terminal."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

HTML_WIDTH = 110      # columns of the rich panel in a notebook (rich's own Jupyter default: 115)
_PRE = ('<pre style="white-space:pre;overflow-x:auto;line-height:normal;'
        "font-family:Menlo,'DejaVu Sans Mono',consolas,'Courier New',monospace\">{code}</pre>")


def mimebundle(renderable: Any, include: Iterable[str] | None = None,
               exclude: Iterable[str] | None = None, *, width: int = HTML_WIDTH) -> dict[str, str]:
    """A rich renderable as a Jupyter MIME bundle: `text/html` (colours kept) and `text/plain`.

    Any object with `__rich__` works, so `PartResult` and `StepVerdict` draw in a notebook
    exactly as in the terminal (their `_repr_mimebundle_` can simply return this).

    >>> from rich.text import Text
    >>> sorted(mimebundle(Text("proved", style="green")))
    ['text/html', 'text/plain']
    """
    from rich.console import Console

    console = Console(file=io.StringIO(), record=True, width=width, force_terminal=True,
                      force_jupyter=False, color_system="truecolor")
    console.print(renderable)
    bundle = {"text/plain": console.export_text(clear=False).rstrip("\n"),
              "text/html": console.export_html(inline_styles=True, code_format=_PRE)}
    return {key: value for key, value in bundle.items()
            if (not include or key in include) and (not exclude or key not in exclude)}


@dataclass(frozen=True)
class RichDisplay:
    """Shows any rich renderable in a notebook (HTML with colours) and in a terminal."""

    renderable: Any

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs) -> dict[str, str]:
        return mimebundle(self.renderable, include, exclude)

    def __rich__(self) -> Any:
        return self.renderable
