"""ttic31230-2021-exam1/4a: the folding the question asks for is read and compared, and links
between sides that lost the key position t_2 are flagged, not proved."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.compare import Settings
from derive.engine import check_part
from derive.solution import parse_solution
from derive.verdict import Outcome
from support import exam

EXAM = "ttic31230-2021-exam1"
FOLDING = "check:the stated folding W~^Q[k, j_1, j_2] against the derived one"


def _result(body: str):
    text = f"---\nexam: {EXAM}\n---\n## 4a\n\n{body}\n"
    stated = parse_solution(text, Path("answers.md")).parts["4a"]
    return check_part(exam(EXAM), exam(EXAM).part("4a"), stated, Settings())


@pytest.mark.parametrize("line, outcome", [
    pytest.param(r"\tilde{W}^Q[k, j_1, j_2] = \frac{1}{\sqrt{I}} W^Q[k, I, j_1] W^K[k, I, j_2]",
                 Outcome.PROVED, id="right"),
    pytest.param(r"\tilde{W}^Q[k, j_1, j_2] = \frac{1}{\sqrt{I}} W^Q[k, I, j_1] W^K[k, I, j_1]",
                 Outcome.REFUTED, id="same-index-twice"),
    pytest.param(r"\tilde{W}^Q[k, j_1, j_2] = W^Q[k, I, j_1] W^K[k, I, j_2]", Outcome.REFUTED,
                 id="scale-missing"),
])
def test_the_stated_folding_is_compared(line, outcome):
    step = next(s for s in _result(f"$${line}$$").steps if s.source == FOLDING)
    assert step.outcome is outcome


def test_no_folding_line_is_unparsed():
    body = r"$$\alpha_{\ell+1}[k,t_1,t_2] = \alpha_{\ell+1}[k,t_1,t_2]$$"
    step = next(s for s in _result(body).steps if s.source == FOLDING)
    assert step.outcome is Outcome.UNPARSED


T1_ONLY = r"\operatorname{softmax} \left[ L_{\ell}(t_{1}, J_{1}) \tilde{W}^{Q}[k, J_{1}, J_{2}] L_{\ell}(t_{1}, J_{2}) \right]"
T2 = r"\operatorname{softmax} \left[ L_{\ell}(t_{1}, J_{1}) \tilde{W}^{Q}[k, J_{1}, J_{2}] L_{\ell}(t_{2}, J_{2}) \right]"


@pytest.mark.parametrize("head, outcome", [
    pytest.param(T1_ONLY, Outcome.INCONCLUSIVE, id="t1-typo-flagged"),
    pytest.param(T2, Outcome.PROVED, id="key-position-proved"),
])
def test_a_link_that_lost_t2_is_flagged(head, outcome):
    result = _result(f"$${head}$$\n\n$$= {head}$$")
    link = next(s for s in result.steps if s.role == "step" and s.source.startswith("answers.md:8"))
    assert link.outcome is outcome, link.message
