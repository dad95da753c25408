"""From a checked article to the report's article view (``evigrade.article.view``): each claim
marked once where its quote lies, with its wording, grade, overclaim and the wording its
evidence supports; every finding linked to the sentence it concerns; the article's paragraphs;
and what a checked article's document must hold to be reported."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evigrade
from evigrade.article.view import SEVERITY, article_view, document_problems, is_check_document
from evigrade.report import ArticleClaim

ARTICLE = """\
Beetroot juice and blood pressure

Beetroot juice lowers blood pressure in adults with hypertension [1]. Nobody knows why.
A pilot trial soon followed, enrolling 24 people with hypertension. Over eight weeks, the juice was well tolerated [2].

Beetroot juice prevents kidney stones [3].
Book your FREE consultation with our clinic today.

References
1. Healthy Roots Clinic (2024) Beetroot and blood pressure. Available at: https://healthyroots.example/beetroot (Accessed: 2 May 2025)
2. Brown, C., Green, D. and White, E., 2020. A pilot trial of beetroot juice in hypertension. Journal of Hypertension, 38(4), pp.100-110.
3. Khan, K., 2023. Beetroot juice for kidney stones: study protocol for a randomised controlled trial. Trials, 24, p.55.
"""


@pytest.fixture(scope="module")
def checked() -> evigrade.ArticleCheck:
    return evigrade.check_article(ARTICLE, name="beetroot.txt", schemes=["grade"])


def _marks(view: Any) -> list[tuple[int, ArticleClaim]]:
    return [(i, c) for i, s in enumerate(view.sentences) for c in s.claims]


def test_every_sentence_in_its_paragraph(checked: evigrade.ArticleCheck) -> None:
    view = article_view(checked)
    assert [s.text for s in view.sentences] == [s.text for s in checked.article.sentences]
    assert [s.paragraph for s in view.sentences] == [s.block for s in checked.article.sentences]
    first, second = (view.sentences[i] for i in (1, 2))
    assert first.text.startswith("Beetroot juice lowers") and second.text == "Nobody knows why."
    assert first.paragraph == second.paragraph  # one line of the text, one paragraph
    stones = next(s for s in view.sentences if s.text.startswith("Beetroot juice prevents"))
    assert stones.paragraph != first.paragraph
    assert view.title == "Beetroot juice and blood pressure"


def test_each_claim_is_marked_once_where_its_quote_is(checked: evigrade.ArticleCheck) -> None:
    view = article_view(checked)
    marks = _marks(view)
    assert [mark.claim_id for _, mark in marks] == [c.id for c in checked.claims]
    for (index, mark), claim in zip(marks, checked.claims, strict=True):
        assert index == claim.claim.sentence
        assert view.sentences[index].text[mark.start : mark.end] == claim.claim.quote
        assert mark.strength == claim.claim.strength.label
        assert (mark.grade, mark.scheme) == (claim.grades["grade"]["label"], "grade")
        assert mark.overclaim is claim.overclaim
        assert mark.note == f"the evidence supports “{claim.support.wording}”"
    lowers = next(m for _, m in marks if m.claim_id and m.claim_id.startswith("beetroot-juice-l"))
    assert (lowers.strength, lowers.grade, lowers.overclaim) == (
        "direct-causal",
        "No evidence",
        True,
    )
    assert lowers.note is not None and "no evidence supports it" in lowers.note


def test_findings_are_linked_to_the_sentence_they_concern(checked: evigrade.ArticleCheck) -> None:
    view = article_view(checked)
    assert len(view.findings) == len(checked.findings)
    for shown, found in zip(view.findings, checked.findings, strict=True):
        assert (shown.message, shown.kind, shown.sentence) == (
            found.message,
            found.kind,
            found.sentence,
        )
        assert shown.severity == SEVERITY[found.kind]
        if found.quote is not None:
            assert view.sentences[found.sentence].text == found.quote
    (offer,) = [f for f in view.findings if f.kind == "conflict-of-interest"]
    assert offer.severity == "problem"
    assert offer.sentence is not None
    assert view.sentences[offer.sentence].text.startswith("Book your FREE consultation")
    web = next(f for f in view.findings if f.kind == "non-scholarly-source")
    assert web.severity == "warning"
    assert view.sentences[web.sentence or 0].text.startswith("Beetroot juice lowers")
    assert view.conflict_of_interest is not None
    assert view.conflict_of_interest.startswith(f"1 passage (sentence {offer.sentence + 1}): ")
    assert "FREE consultation" in view.conflict_of_interest


def test_no_conflict_of_interest_is_said_so() -> None:
    check = evigrade.check_article("Zinc\n\nZinc may shorten colds.\n", schemes=["grade"])
    view = article_view(check)
    assert view.conflict_of_interest is not None
    assert view.conflict_of_interest.startswith("None seen")


def _document(**changes: Any) -> dict[str, Any]:
    """A hand-written document: one paragraph whose second sentence states two claims."""
    first = "Tea is popular."
    second = "Green tea  lowers blood pressure, and it prevents stroke [1]."
    data: dict[str, Any] = {
        "title": "Tea",
        "schemes": ["grade"],
        "sentences": [
            {"text": first, "paragraph": 0},
            {"text": second, "paragraph": 0},
            {"text": "Sources", "paragraph": 1, "heading": True},
        ],
        "claims": [
            {
                "id": "tea-prevents-stroke",
                "quote": "it prevents stroke",
                "sentence": 1,
                "strength": "direct-causal",
                "grades": {"grade": {"label": "Very low"}},
                "overclaim": True,
                "supported_strength": "none",
                "supported_wording": "the evidence is very uncertain about the effect of tea",
            },
            {
                "id": "tea-lowers-blood-pressure",
                "quote": "green tea lowers blood pressure",  # other case, one space
                "sentence": 1,
                "strength": "direct-causal",
                "grades": {"cebm-2011": {"label": "Level 2"}},
                "overclaim": False,
                "supported_strength": "direct-causal",
                "supported_wording": "tea lowers blood pressure",
            },
            {
                "id": "tea-prevents-stroke-again",
                "quote": "prevents stroke",
                "sentence": 1,
                "strength": "direct-causal",
                "grades": {},
                "overclaim": False,
                "supported_strength": "none",
                "supported_wording": "-",
            },
        ],
        "findings": [
            {"kind": "uncited-claim", "message": "The claim cites no source.", "sentence": 0},
            {"kind": "no-in-text-citations", "message": "None at all.", "sentence": None},
            {"kind": "something-new", "message": "A plugin's finding.", "sentence": 1},
        ],
        "summary": {},
        "draft": {"evigrade": "1", "studies": [], "claims": []},
    }
    data.update(changes)
    return data


def test_offsets_of_quotes_inside_a_sentence_and_two_claims_in_one() -> None:
    data = _document()
    assert is_check_document(data) and document_problems(data) == []
    view = article_view(data)
    sentence = view.sentences[1]
    assert [sentence.text[c.start : c.end] for c in sentence.claims] == [
        "Green tea  lowers blood pressure",
        "it prevents stroke",
    ]
    assert [(c.claim_id, c.grade, c.scheme) for c in sentence.claims] == [
        ("tea-lowers-blood-pressure", "Level 2", "cebm-2011"),
        ("tea-prevents-stroke", "Very low", "grade"),
    ]
    # a claim inside another's words is not marked twice; it is said
    (said,) = [f for f in view.findings if f.kind == "claim"]
    assert said.sentence == 1 and said.severity == "info"
    assert said.message.startswith("Claim tea-prevents-stroke-again (direct-causal, not graded)")
    assert [f.severity for f in view.findings[:3]] == ["warning", "warning", "info"]
    assert [s.paragraph for s in view.sentences] == [0, 0, 1]


def test_a_report_gives_each_claim_the_grade_its_summary_of_findings_shows(
    checked: evigrade.ArticleCheck,
) -> None:
    registry = evigrade.plugin.build_registry(disable=("*",))
    evidence = evigrade.from_data(dict(checked.draft))
    report = evigrade.grade_file(evidence, ["pyramid"], registry=registry)
    view = article_view(checked, report)
    labels = {r.claim.id: r.grades["pyramid"].label for r in report.results}
    for _, mark in _marks(view):
        assert mark.scheme == "pyramid"
        assert mark.claim_id is not None and mark.grade == labels[mark.claim_id]


def test_a_document_missing_what_the_report_reads_has_problems_by_pointer() -> None:
    data = _document()
    del data["sentences"]
    assert [(p.pointer, p.message) for p in document_problems(data)] == [
        ("", "missing required key 'sentences'")
    ]
    data = _document()
    data["claims"][0]["sentence"] = 7
    data["findings"][0]["sentence"] = -1
    found = [(p.pointer, p.message) for p in document_problems(data)]
    assert ("/findings/0/sentence", "expected a number >= 0, found -1") in found
    data["findings"][0]["sentence"] = 3
    assert [(p.pointer, p.message) for p in document_problems(data)] == [
        (
            "/claims/0/sentence",
            "expected the index of one of the document's 3 sentences (0 to 2), found 7",
        ),
        (
            "/findings/0/sentence",
            "expected the index of one of the document's 3 sentences (0 to 2), found 3",
        ),
    ]
    broken = copy.deepcopy(_document())
    broken["claims"][1]["overclaim"] = "yes"
    assert [(p.pointer, p.keyword) for p in document_problems(broken)] == [
        ("/claims/1/overclaim", "type")
    ]


def test_an_evidence_file_is_not_a_check_document(checked: evigrade.ArticleCheck) -> None:
    assert is_check_document(checked.to_data())
    assert not is_check_document(dict(checked.draft))
    assert not is_check_document([1, 2])


_PIECES = st.sampled_from(
    [
        "Zinc shortens colds [1].",
        "Zinc may help (2). It is sold everywhere.",
        "A pilot trial enrolled 12 people with colds.",
        "Experimental studies in mice showed it works [3]-[4].",
        "Book your FREE consultation.",
        "",
        "References",
        "1. Doe, J., 2020. A randomized trial of zinc. Zinc Journal, 1(1), pp.1-2.",
        "2. Shop (2024) Zinc. Available at: https://shop.example/zinc",
        "<p>html?</p>",
    ]
)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=30)), max_size=8))
def test_any_article_gives_a_view_with_each_claim_marked_once(pieces: list[str]) -> None:
    check = evigrade.check_article("\n".join(pieces), schemes=["grade"])
    view = article_view(check)
    assert len(view.sentences) == len(check.article.sentences)
    marks = _marks(view)
    assert [m.claim_id for _, m in marks] == [c.id for c in check.claims]
    for (index, mark), claim in zip(marks, check.claims, strict=True):
        assert view.sentences[index].text[mark.start : mark.end] == claim.claim.quote
    for finding in view.findings:
        assert finding.sentence is None or 0 <= finding.sentence < len(view.sentences)
