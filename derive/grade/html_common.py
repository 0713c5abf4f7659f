"""What every grading page shares: the frame, the style sheet, the verdict colours.

Pages are static: no JavaScript, no network (fonts, styles and charts are inline). Everything
that comes from a submission is escaped where it is written (`esc`), MathML comes only from
`derive.grade.mathml`.
"""

from __future__ import annotations

import html

# One colour per grade / outcome word, for badges, row marks and the chart.
COLOURS = {
    "accepted": "#2e7d32", "proved": "#2e7d32", "agrees": "#558b2f",
    "refuted": "#c62828", "unreadable": "#ef6c00", "unparsed": "#ef6c00",
    "inconclusive": "#757575", "listed": "#5c6bc0", "prose": "#5c6bc0",
    "not answered": "#bdbdbd",
}

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #212121; line-height: 1.45; }
h1 { font-size: 1.5rem; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
.badge { display: inline-block; padding: 0 .5em; border-radius: .8em; color: #fff;
         font-size: .8rem; font-weight: 600; vertical-align: middle; }
.steps { margin: .6rem 0; }
.step { border-left: 6px solid #e0e0e0; padding: .25rem .8rem; margin: .3rem 0; }
.step.refuted { border-left-color: #c62828; background: #ffebee; }
.step.unparsed { border-left-color: #ef6c00; background: #fff3e0; }
.step.proved, .step.agrees { border-left-color: #2e7d32; }
.step.inconclusive { border-left-color: #757575; background: #f5f5f5; }
.step .math { overflow-x: auto; overflow-y: hidden; }
.step .where { color: #757575; font-size: .75rem; font-family: monospace; }
.verdict-line { font-size: .85rem; margin-top: .15rem; }
.witness { font-family: monospace; font-size: .85rem; background: #fff; border: 1px solid #ef9a9a;
           padding: .2rem .4rem; margin-top: .2rem; white-space: pre-wrap; }
.diagnosis { font-weight: 600; color: #b71c1c; margin-top: .2rem; }
.message { color: #5d4037; font-size: .85rem; white-space: pre-wrap; font-family: monospace; }
.part-summary { background: #fafafa; border: 1px solid #e0e0e0; padding: .4rem .8rem; }
code.tex { background: #f5f5f5; padding: 0 .2em; }
table.grades { border-collapse: collapse; } .grades td, .grades th { border: 1px solid #ddd;
  padding: .2rem .6rem; text-align: right; } .grades td:first-child { text-align: left; }
.grades td.cell { text-align: center; color: #fff; font-size: .8rem; }
pre.source { background: #f5f5f5; padding: .5rem; white-space: pre-wrap; }
"""


def esc(text: object) -> str:
    """Text from anywhere, escaped for element content and quoted attribute values."""
    return html.escape(str(text), quote=True)


def badge(word: str) -> str:
    colour = COLOURS.get(word, "#616161")
    return f'<span class="badge" style="background:{colour}">{esc(word)}</span>'


def page(title: str, body: str) -> str:
    """A complete HTML document; the Content-Security-Policy forbids scripts and fetches."""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">\n"
            f"<title>{esc(title)}</title>\n<style>{_STYLE}</style></head>\n"
            f"<body>\n{body}\n</body></html>\n")


def student_file_name(student: str) -> str:
    """The page's file name for a student id (ids come from file names: kept readable, but
    never a path)."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in student).lstrip(".")
    return f"{safe or 'student'}.html"
