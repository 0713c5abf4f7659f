"""The grading pages: safe MathML from untrusted LaTeX, escaped submissions, marked steps, and
the real page in a headless Chromium (skipped when Chromium is not installed)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import xml.etree.ElementTree as ET

import pytest

from derive.compare import Settings
from derive.grade import grade_folder
from derive.grade.class_page import outcome_chart
from derive.grade.mathml import to_mathml
from derive.grade.output import page_names, write_outputs
from tests.support import ROOT, exam

EXAM = "ttic31230-2021-exam1"
HOSTILE = [
    pytest.param(r"\text{<script>alert(1)</script>}", id="script-in-text"),
    pytest.param(r"\href{javascript:alert(1)}{x}", id="href-javascript"),
    pytest.param(r"\text{<img src=x onerror=alert(1)>}", id="img-onerror"),
    pytest.param(r"\text{&lt;script&gt;}", id="entity-script"),
    pytest.param(r"a < b & c > d", id="bare-markup-characters"),
    pytest.param(r"\frac{1}{<script>", id="does-not-convert"),
    pytest.param(r"\mathcolor{red}{x}\style{background:url(http://x)}{y}", id="style-and-colour"),
]


@pytest.mark.parametrize("latex", HOSTILE)
def test_mathml_from_untrusted_latex_carries_no_markup(latex):
    html = to_mathml(latex, display=True)
    tree = ET.fromstring(html)   # well-formed: every '<' from the input arrived escaped
    for element in tree.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        assert tag == "code" or tag.startswith("m") or tag in ("none", "semantics"), html
        for name, value in element.attrib.items():
            assert name in ("display", "mathvariant", "stretchy", "fence", "form", "class",
                            "separator", "lspace", "rspace", "columnalign"), html
            assert ":" not in value and "(" not in value, html


@pytest.mark.parametrize("latex, element", [
    pytest.param(r"\frac{\beta e^{-\beta}}{1 - e^{-\beta}}", "<mfrac>", id="fraction"),
    pytest.param(r"\sqrt{d}", "<msqrt>", id="root"),
    pytest.param(r"\sum_{i=0}^{\infty} e^{-\beta i}", "<munderover>", id="sum"),
    pytest.param(r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", "<mtable>", id="matrix"),
])
def test_mathml_keeps_the_mathematics(latex, element):
    assert element in to_mathml(latex, display=True)


HOSTILE_FILE = f"""---
exam: {EXAM}
---
## 1a

<script>alert("prose")</script> ![tracker](http://example.com/pixel.png)

$$P(i) = (1 - e^{{-\\beta}}) e^{{-\\beta i}}$$

## 1b

$$H(P) = \\ln(1 - e^{{-\\beta}}) - \\frac{{\\beta e^{{-\\beta}}}}{{1 - e^{{-\\beta}}}} \\text{{<b>x</b>}}$$

$$H(P) = \\ln(1 - e^{{-\\beta}}) - \\frac{{\\beta e^{{-\\beta}}}}{{1 - e^{{-\\beta}}}}$$
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("class")
    (folder / "mallory.md").write_text(HOSTILE_FILE)
    (folder / "index.md").write_text(HOSTILE_FILE.replace("\\ln", "-\\ln", 1))
    grades = grade_folder(folder, exam(EXAM), ROOT, Settings(), jobs=1)
    out = tmp_path_factory.mktemp("pages")
    write_outputs(grades, out, "test")
    return out


def test_a_submission_cannot_inject_markup_or_fetch(pages: Path):
    for page in pages.glob("*.html"):
        text = page.read_text().lower()
        assert "<script" not in text and "<img" not in text and 'href="http' not in text
        assert "content-security-policy" in text


def test_student_page_marks_the_refuted_step_with_witness_and_mistake(pages: Path):
    text = (pages / "mallory.html").read_text()
    assert text.count("<math") >= 3
    assert 'class="step refuted"' in text
    assert "witness: at beta=" in text
    assert "looks like: a sign error" in text
    assert "&lt;script&gt;alert(&quot;prose&quot;)&lt;/script&gt;" in text


def test_a_student_called_index_does_not_overwrite_the_class_page(pages: Path):
    assert (pages / "index-2.html").is_file()
    assert 'href="index-2.html"' in (pages / "index.html").read_text()


def test_chart_has_a_bar_segment_per_grade_present():
    chart = outcome_chart({"1a": {"answered": 3, "accepted": 2, "refuted": 1, "unreadable": 0,
                                  "inconclusive": 0, "listed": 0, "not answered": 1}})
    assert chart.count("<rect") == 3 + 6   # three segments, six legend swatches
    assert "1a: 2 accepted" in chart and "1a: 1 refuted" in chart


def test_page_names_are_distinct_and_never_paths():
    class Student:
        def __init__(self, name):
            self.student = name

    class Grades:
        students = [Student(n) for n in ("a b", "a_b", "../x", "Index")]

    names = page_names(Grades())
    assert len(set(names.values())) == 4
    assert all("/" not in name and name.lower() != "index.html" for name in names.values())


# ---- in a real browser ----------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


def chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    """Headless Chromium with a fresh profile, no network services, no sandbox (containers)."""
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "HOME": str(profile)})


@needs_chromium
def test_chromium_loads_the_page_with_its_math_and_marks(pages: Path, tmp_path: Path):
    dom = chromium(["--dump-dom", (pages / "mallory.html").as_uri()], tmp_path / "profile").stdout
    assert dom.count("<math") >= 3 and 'class="step refuted"' in dom
    assert "<script" not in dom.lower()


@needs_chromium
def test_chromium_lays_out_a_fraction_as_mathml(tmp_path: Path):
    image = pytest.importorskip("PIL.Image")
    heights = {}
    for name, latex in (("stacked", r"\frac{\beta}{1 - e}"), ("flat", r"\beta 1 - e")):
        page = tmp_path / f"{name}.html"
        page.write_text(f"<!DOCTYPE html><html><body style='margin:0;font-size:40px'>"
                        f"{to_mathml(latex, display=True)}</body></html>")
        shot = tmp_path / f"{name}.png"
        chromium([f"--screenshot={shot}", "--window-size=600,300", page.as_uri()],
                 tmp_path / f"profile-{name}")
        heights[name] = _ink_height(image.open(shot))
    # MathML laid out: numerator over denominator is much taller than the same symbols in a row
    assert heights["stacked"] > 1.5 * heights["flat"] > 0


def _ink_height(picture) -> int:
    grey = picture.convert("L")
    rows = [y for y in range(grey.height) if min(grey.crop((0, y, grey.width, y + 1)).get_flattened_data()) < 128]
    return (rows[-1] - rows[0] + 1) if rows else 0


@needs_chromium
def test_chromium_screenshot_shows_the_refuted_step_marked(pages: Path, tmp_path: Path):
    image = pytest.importorskip("PIL.Image")
    shot = tmp_path / "page.png"
    chromium([f"--screenshot={shot}", "--window-size=1000,1400", (pages / "mallory.html").as_uri()],
             tmp_path / "profile")
    pixels = image.open(shot).convert("RGB").get_flattened_data()
    red_mark = sum(1 for pixel in pixels if pixel == (0xc6, 0x28, 0x28))        # the left border
    refuted_background = sum(1 for pixel in pixels if pixel == (0xff, 0xeb, 0xee))
    assert red_mark > 500 and refuted_background > 5000
