"""Checking an article: hand-written paragraphs for each citation form, design cue, hedge and
audit finding; the draft is always a valid evidence file; HTML and Markdown read like text; the
``evigrade check`` command. The seed articles are in tests/test_check_seeds.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import evigrade
from evigrade.article.citations import find_citations, strip_citations
from evigrade.article.references import Reference, parse_reference
from evigrade.cli import cli, main

ARTICLE = """\
Can beetroot juice lower blood pressure?

Beetroot juice lowers blood pressure in adults with hypertension [1].
Some people say beetroot juice may improve stamina [ 2].
A pilot trial soon followed, enrolling 24 people with hypertension. Over eight weeks, the juice was well tolerated [3].
Experimental studies in rats have shown that nitrate restores blood vessel function [4]-[5].
Beetroot juice is safe for most people, and it cures headaches.
A retrospective study looked at 310 patients who drank the juice.
Most people noticed less fatigue [,6].
Beetroot juice prevents kidney stones [7].
Book your FREE consultation with our clinic today.

References
1. Healthy Roots Clinic (2024) Beetroot and blood pressure. Available at: https://healthyrootsclinic.example/beetroot (Accessed: 2 May 2025)
2. Smith, A. and Jones, B., 2019. Dietary nitrate and exercise: a review. Sports Medicine, 49(2), pp.1-10.
3. Brown, C., Green, D. and White, E., 2020. A pilot trial of beetroot juice in hypertension. Journal of Hypertension, 38(4), pp.100-110.
4. Black, F., 2018. Nitrate and vascular function in ageing rats. Journal of Physiology, 596(3), pp.400-410.
5. Grey, G., 2017. Nitrite signalling in the rat aorta. Cardiovascular Research, 113(1), pp.20-30.
6. Lee, H. and Park, J., 2021. Beetroot juice and fatigue: a retrospective chart review. Nutrients, 13(5), p.1500. https://doi.org/10.3390/NU13051500
7. Khan, K., 2023. Beetroot juice for kidney stones: study protocol for a randomised controlled trial. Trials, 24, p.55.
"""


@pytest.fixture(scope="module")
def checked() -> evigrade.ArticleCheck:
    return evigrade.check_article(ARTICLE, name="beetroot.txt", schemes=["grade"])


def _claim(check: evigrade.ArticleCheck, start: str) -> evigrade.ClaimCheck:
    return next(c for c in check.claims if c.claim.quote.startswith(start))


def _study(check: evigrade.ArticleCheck, ref: str) -> Any:
    return next(s for s in check.studies if s.reference is not None and s.reference.id == ref)


# -- citation forms ---------------------------------------------------------------------------

_NUMBERED = [Reference(str(n), text="x") for n in range(1, 21)]


@pytest.mark.parametrize(
    ("sentence", "ids", "clean"),
    [
        ("Tea helps [1].", ["1"], "Tea helps."),
        ("Tea helps [ 2].", ["2"], "Tea helps."),
        ("Tea helps [1, 3].", ["1", "3"], "Tea helps."),
        ("Tea helps [2-4].", ["2", "3", "4"], "Tea helps."),
        ("Tea helps [5]-[8].", ["5", "6", "7", "8"], "Tea helps."),
        ("Tea helps [,9], [10].", ["9", "10"], "Tea helps."),
        ("Tea helps.[ 6],[ 9], [10].", ["6", "9", "10"], "Tea helps."),
        ("Tea helps (5).", ["5"], "Tea helps."),
        ("Tea helps (6, 7, 8).", ["6", "7", "8"], "Tea helps."),
        ("Tea helps (1-3).", ["1", "2", "3"], "Tea helps."),
    ],
)
def test_numeric_citation_forms(sentence: str, ids: list[str], clean: str) -> None:
    found = find_citations(sentence, _NUMBERED)
    assert [i for c in found for i in c.ids] == ids
    assert strip_citations(sentence, found) == clean


@pytest.mark.parametrize(
    "sentence",
    [
        "The trial ran in 2019 (2019) with 40 people (n = 40).",
        "Pain fell (p < .05) in week 2 (Figure 3).",
        "Doses rose to 4.5 mg (about 0.5 mg a week).",
    ],
)
def test_years_sizes_statistics_and_figures_are_not_citations(sentence: str) -> None:
    assert find_citations(sentence, _NUMBERED) == ()


def test_a_number_beyond_the_reference_list_is_not_a_citation() -> None:
    assert find_citations("Tea helps (25).", _NUMBERED) == ()


def test_author_year_citations_link_to_the_reference_they_name() -> None:
    references = [
        parse_reference(
            "Smith, A., Brown, B. and Lee, C., 2019. Tea and sleep. Sleep, 1(2), p.3.", "1"
        ),
        parse_reference("Jones, D. (2020). Coffee and mood. Mood, 4(1), 5-9.", "2"),
    ]
    found = find_citations("Tea helps sleep (Smith et al., 2019; Jones, 2020).", references)
    assert [c.ids for c in found] == [("1", "2")]
    assert found[0].form == "author-year"
    narrative = find_citations("Smith et al. (2019) found that tea helps.", references)
    assert narrative[0].ids == ("1",)
    # a narrative citation stays in the sentence; a parenthetical one goes
    assert (
        strip_citations("Smith et al. (2019) found it.", narrative)
        == "Smith et al. (2019) found it."
    )
    unknown = find_citations("Tea helps (Taylor, 2011).", references)
    assert unknown[0].ids == () and unknown[0].unresolved == ("Taylor 2011",)


def test_each_sentence_is_linked_to_the_references_it_cites(checked: evigrade.ArticleCheck) -> None:
    assert _claim(checked, "Beetroot juice lowers").claim.citations == ("1",)
    assert _claim(checked, "Some people say").claim.citations == ("2",)
    assert _claim(checked, "Experimental studies in rats").claim.citations == ("4", "5")
    assert _claim(checked, "Most people noticed").claim.citations == ("6",)
    assert _claim(checked, "Beetroot juice is safe").claim.citations == ()


# -- references -------------------------------------------------------------------------------


def test_reference_entries_are_parsed_into_their_parts() -> None:
    harvard = parse_reference(
        "Brown, C., Green, D. and White, E., 2020. A pilot trial of beetroot juice in "
        "hypertension. Journal of Hypertension, 38(4), pp.100-110.",
        "3",
    )
    assert harvard.authors == ("Brown, C.", "Green, D.", "White, E.")
    assert (harvard.year, harvard.journal) == (2020, "Journal of Hypertension")
    assert harvard.title == "A pilot trial of beetroot juice in hypertension"
    apa = parse_reference(
        "Kim, S. J., & Cho, H. (2022). Salt and stroke: A cohort study. Stroke Journal, 53(2), "
        "10–20. https://doi.org/10.1161/STROKE.53.2.10",
        "1",
    )
    assert apa.authors == ("Kim, S.J.", "Cho, H.")
    assert apa.doi == "10.1161/STROKE.53.2.10"
    assert apa.url is None  # the DOI's URL is the DOI
    vancouver = parse_reference(
        "Patel R, Singh T. Zinc for colds: a randomised trial. BMJ. 2015;350:h100. "
        "PMID: 25500001. NCT01234567",
        "2",
    )
    assert vancouver.authors == ("Patel R", "Singh T")
    assert (vancouver.year, vancouver.journal, vancouver.pmid, vancouver.nct) == (
        2015,
        "BMJ",
        "25500001",
        "NCT01234567",
    )
    web = parse_reference(
        "Acme Pharmacy (2025). Is zinc safe? Available at: https://acme.example/zinc "
        "(Accessed: 1 May 2025)",
        "4",
    )
    assert (web.kind, web.authors, web.title, web.url) == (
        "web-page",
        ("Acme Pharmacy",),
        "Is zinc safe?",
        "https://acme.example/zinc",
    )


def test_the_reference_list_is_found_and_numbered(checked: evigrade.ArticleCheck) -> None:
    assert [r.id for r in checked.references] == ["1", "2", "3", "4", "5", "6", "7"]
    assert checked.references[5].doi == "10.3390/NU13051500"  # the URL taken off by idutils


# -- design cues ------------------------------------------------------------------------------


def test_a_pilot_trial_described_in_the_text_is_a_single_arm_pilot_with_its_size(
    checked: evigrade.ArticleCheck,
) -> None:
    study = _study(checked, "3")
    assert (study.design, study.n, study.pilot, study.duration) == (
        "single-arm-trial",
        24,
        True,
        "P8W",
    )
    assert study.population == "hypertension"
    assert study.sources["n"].startswith("sentence")


def test_a_retrospective_study_with_its_size_from_the_text(checked: evigrade.ArticleCheck) -> None:
    study = _study(checked, "6")
    assert (study.design, study.n, study.control) == ("retrospective-cohort", 310, "none")


def test_experimental_studies_in_rats_are_animal_studies(checked: evigrade.ArticleCheck) -> None:
    for ref in ("4", "5"):
        study = _study(checked, ref)
        assert (study.design, study.species, study.n) == ("animal", "rat", None)


def test_a_web_page_a_review_and_a_protocol_are_never_trials(
    checked: evigrade.ArticleCheck,
) -> None:
    assert _study(checked, "1").design == "expert-opinion"
    assert _study(checked, "1").told == "reference 1 is a web page, not a study"
    assert _study(checked, "2").design == "narrative-review"
    protocol = _study(checked, "7")
    assert (protocol.design, protocol.status) == ("protocol", "planned")


@pytest.mark.parametrize(
    ("text", "design", "n"),
    [
        (
            "In a single case report published in 2017, doctors followed one woman.",
            "case-report",
            1,
        ),
        ("Anecdotal reports on social media say that zinc works.", "anecdote", None),
        ("In 2004, researchers conducting animal studies on mice found it helped.", "animal", None),
        (
            "A larger 30-month study involving 100 patients is currently being conducted.",
            "protocol",
            100,
        ),
        (
            "A 2009 clinical trial published in Pain Journal found that zinc helped.",
            "non-randomized-trial",
            None,
        ),
        ("A randomised placebo-controlled trial of 80 adults found that zinc helped.", "rct", 80),
    ],
)
def test_studies_described_without_a_reference(text: str, design: str, n: int | None) -> None:
    check = evigrade.check_article(f"Zinc and colds\n\n{text}\n", schemes=["grade"])
    drafted = [s for s in check.studies if s.reference is None]
    assert [(s.design, s.n) for s in drafted] == [(design, n)]
    assert evigrade.validate_data(check.draft) == []


def _one_reference(sentence: str, title: str) -> evigrade.ArticleCheck:
    text = (
        f"Naltrexone and MS\n\n{sentence}\n\nReferences\n"
        f"1. Lee, M. and Cho, I., 2017. {title}. Experimental Biology, 242(15), pp.1-9.\n"
    )
    return evigrade.check_article(text, schemes=["grade"])


def test_a_title_about_mice_only_is_one_animal_study() -> None:
    check = _one_reference(
        "Naltrexone restores enkephalin in the brain [1].",
        "Naltrexone restores enkephalin levels in mice with experimental autoimmune "
        "encephalomyelitis",
    )
    assert [(s.design, s.species, s.part) for s in check.studies] == [("animal", "mouse", None)]


def test_a_title_about_patients_only_is_one_human_study() -> None:
    check = _one_reference(
        "Naltrexone may calm the immune system in people with MS [1].",
        "Serum enkephalin levels are reduced in multiple sclerosis: a cross-sectional study",
    )
    (study,) = check.studies
    assert (study.design, study.species, study.part) == ("cross-sectional", None, None)


def test_a_title_about_animals_and_patients_is_two_studies() -> None:
    check = _one_reference(
        "Naltrexone changes immune signals [1].",
        "Naltrexone alters cytokine profiles in experimental autoimmune encephalomyelitis and "
        "multiple sclerosis",
    )
    animal, human = check.studies
    assert (animal.id, animal.design, animal.part) == ("lee-2017", "animal", "animal")
    assert (human.id, human.design, human.part) == ("lee-2017-human", "cross-sectional", "human")
    assert (human.population, human.n, human.species) == ("multiple sclerosis", None, None)
    assert human.told.startswith(
        "reference 1, title: 'in experimental autoimmune encephalomyelitis and multiple "
        "sclerosis': data in people with multiple sclerosis, compared with others at one time"
    )
    assert "drafted as a study of their own" in animal.told
    claim = _claim(check, "Naltrexone changes")
    assert [s.id for s, *_ in claim.links] == ["lee-2017", "lee-2017-human"]
    drafted = {s["id"]: s for s in check.draft["studies"]}
    assert drafted["lee-2017-human"]["x-check"]["part"] == "human"
    assert drafted["lee-2017-human"]["population"] == "multiple sclerosis"
    assert evigrade.validate_data(check.draft) == []
    (reference,) = check.to_data()["references"]
    assert [(p["study"], p["design"]) for p in reference["parts"]] == [
        ("lee-2017", "animal"),
        ("lee-2017-human", "cross-sectional"),
    ]


def test_mice_in_the_article_and_patients_in_the_title_are_two_studies() -> None:
    check = _one_reference(
        "Experimental studies in mice have shown that naltrexone restores enkephalin [1]. "
        "Naltrexone may also calm the immune system in mice [1].",
        "Serum enkephalin levels are reduced in multiple sclerosis and restored by low-dose "
        "naltrexone",
    )
    assert [(s.design, s.species, s.part) for s in check.studies] == [
        ("animal", "mouse", "animal"),
        ("cross-sectional", None, "human"),
    ]
    human = check.studies[1]
    assert human.sources["population"] == (
        "reference 1, title: 'levels are reduced in multiple sclerosis'"
    )
    # a claim about mice rests on the reference's animal experiments, not on its patients
    mice = _claim(check, "Naltrexone may also calm")
    assert mice.claim.species == "mouse"
    assert [s.part for s, *_ in mice.links] == ["animal"]


def test_a_study_described_in_patients_and_in_mice_counts_each_apart() -> None:
    check = _one_reference(
        "A 2017 study measured enkephalin in 40 patients with multiple sclerosis and in 12 "
        "mice with EAE [1].",
        "Enkephalin and the opioid growth factor",
    )
    animal, human = check.studies
    assert (animal.design, animal.n) == ("animal", 12)
    assert (human.design, human.n, human.population) == (
        "cross-sectional",
        40,
        "multiple sclerosis",
    )


@pytest.mark.parametrize(
    "title",
    [
        "Naltrexone in patients with multiple sclerosis: a randomized placebo-controlled trial",
        "The opioid growth factor in multiple sclerosis and in mice: a review",
    ],
)
def test_a_trial_or_a_review_is_one_source_even_beside_mice(title: str) -> None:
    check = _one_reference("Studies in mice and people found that naltrexone helps [1].", title)
    assert [s.part for s in check.studies] == [None]  # one study, as the title names it


def test_a_design_no_cue_tells_is_said_to_be_not_told() -> None:
    text = "Zinc and colds\n\nZinc helps colds [1].\n\nReferences\n1. Doe, J., 2020. Zinc: a tale of two ions. Metals, 3(1), pp.1-9.\n"
    check = evigrade.check_article(text, schemes=["grade"])
    (study,) = check.studies
    assert study.certain is False
    assert study.told.startswith("not told")
    data = check.to_data()["references"][0]
    assert (data["design"], data["drafted_design"], data["design_certain"]) == (
        None,
        "narrative-review",
        False,
    )


def test_a_hypothesis_paper_is_mechanistic() -> None:
    text = "LDN\n\nLDN could help [1].\n\nReferences\n1. Roe, P., 2005. LDN in MS. Medical hypotheses, 64(4), pp.721-724.\n"
    (study,) = evigrade.check_article(text, schemes=["grade"]).studies
    assert study.design == "mechanistic"


def test_n_is_drafted_only_where_the_text_states_it(checked: evigrade.ArticleCheck) -> None:
    drafted = {s["id"]: s for s in checked.draft["studies"]}
    assert drafted["black-2018"]["n"] is None
    assert drafted["brown-2020"]["n"] == 24
    sentence = next(s.index for s in checked.article.sentences if s.text.startswith("A pilot"))
    assert (
        drafted["brown-2020"]["x-check"]["from"]["n"]
        == f"sentence {sentence}: 'enrolling 24 people'"
    )


# -- wording, grades and overclaims -----------------------------------------------------------


def test_a_causal_claim_on_a_web_page_alone_overclaims(checked: evigrade.ArticleCheck) -> None:
    claim = _claim(checked, "Beetroot juice lowers")
    assert claim.claim.strength.label == "direct-causal"
    assert claim.grades["grade"]["label"] == "No evidence"
    assert (claim.support.label, claim.overclaim) == ("none", True)
    assert claim.reasons[0].startswith("worded as direct-causal (lowers)")


def test_a_pilot_trial_supports_only_very_uncertain_wording(checked: evigrade.ArticleCheck) -> None:
    claim = _claim(checked, "Over eight weeks")
    assert claim.grades["grade"]["label"] == "Very low"
    assert claim.support.wording == (
        "the evidence is very uncertain about the harms of beetroot juice (tolerability)"
    )
    assert claim.overclaim is True


def test_observational_evidence_supports_at_most_an_association() -> None:
    text = (
        "Walnuts and memory\n\nWalnuts improve memory in older adults [1].\n\n"
        "References\n1. Ng, A., 2020. Walnuts and memory: a prospective cohort study of 9000 "
        "adults. Brain, 3(1), pp.1-9.\n"
    )
    claim = evigrade.check_article(text, schemes=["grade"]).claims[0]
    assert claim.grades["grade"]["label"] in ("Low", "Very low")
    assert claim.support.level <= 1
    assert claim.overclaim is True


def test_a_hedged_claim_on_randomized_evidence_is_no_overclaim() -> None:
    text = (
        "Zinc and colds\n\nZinc may shorten colds [1].\n\n"
        "References\n1. Ng, A., 2020. Zinc for colds: a randomized placebo-controlled trial of "
        "400 adults. Lancet, 3(1), pp.1-9.\n"
    )
    check = evigrade.check_article(text, schemes=["grade"])
    assert check.studies[0].n == 400  # "a randomized placebo-controlled trial of 400 adults"
    claim = check.claims[0]
    assert claim.claim.strength.label == "conditional-causal"
    # one trial of 400 whose risk of bias the article does not say: Moderate
    assert claim.grades["grade"]["label"] == "Moderate"
    steps = claim.grades["grade"]["rationale"]
    assert [s["rule"] for s in steps if s["change"]] == ["risk_of_bias.not-assessed"]
    assert claim.support.wording == "zinc probably shortens colds"
    assert claim.overclaim is False


def test_a_claim_that_states_no_effect_is_no_overclaim() -> None:
    check = evigrade.check_article("Zinc\n\nZinc does not cure colds.\n", schemes=["grade"])
    assert check.claims[0].overclaim is False


# -- the citation audit and conflicts of interest ----------------------------------------------


def _kinds(check: evigrade.ArticleCheck) -> dict[str, list[int | None]]:
    found: dict[str, list[int | None]] = {}
    for finding in check.findings:
        found.setdefault(finding.kind, []).append(finding.sentence)
    return found


def test_the_audit_finds_each_kind_of_weak_citation(checked: evigrade.ArticleCheck) -> None:
    kinds = _kinds(checked)
    assert kinds["uncited-claim"] == [_claim(checked, "Beetroot juice is safe").claim.sentence]
    assert kinds["non-scholarly-source"] == [
        _claim(checked, "Beetroot juice lowers").claim.sentence
    ]
    assert kinds["protocol-as-results"] == [
        _claim(checked, "Beetroot juice prevents").claim.sentence
    ]
    assert _claim(checked, "Some people say").claim.sentence in kinds["weak-evidence-only"]
    assert "no-in-text-citations" not in kinds


def test_a_conflict_of_interest_is_flagged_with_its_sentence(
    checked: evigrade.ArticleCheck,
) -> None:
    (finding,) = [f for f in checked.findings if f.kind == "conflict-of-interest"]
    assert finding.quote == "Book your FREE consultation with our clinic today."
    assert "FREE consultation" in finding.message


def test_the_publishers_own_pages_are_told_apart_from_other_web_pages() -> None:
    check = evigrade.check_article(ARTICLE, schemes=["grade"], publisher=["Healthy Roots Clinic"])
    kinds = _kinds(check)
    assert "publisher-source" in kinds and "non-scholarly-source" not in kinds


def test_an_article_without_in_text_citations_says_so() -> None:
    text = (
        "Zinc\n\nZinc shortens colds.\n\nReferences\nNg, A. (2020). Zinc for colds. Lancet, "
        "3(1), 1-9.\n"
    )
    kinds = _kinds(evigrade.check_article(text, schemes=["grade"]))
    assert kinds["no-in-text-citations"] == [None]


def test_a_number_cited_but_neither_listed_nor_described_is_reported() -> None:
    check = evigrade.check_article("Zinc\n\nZinc may shorten colds (3).\n", schemes=["grade"])
    assert _kinds(check)["unlisted-source"] == [1]


def test_a_null_study_cited_for_an_effect_is_reported() -> None:
    text = (
        "Zinc\n\nOne 12-week trial found no significant difference in cold length [1].\n"
        "Zinc shortens colds [1].\n\nReferences\n1. Ng, A., 2020. Zinc for colds: a randomized "
        "trial. Lancet, 3(1), pp.1-9.\n"
    )
    check = evigrade.check_article(text, schemes=["grade"])
    assert _claim(check, "Zinc shortens").links[0][2] == "inconclusive"
    assert "null-cited-as-support" in _kinds(check)


# -- the draft --------------------------------------------------------------------------------


def test_the_draft_is_valid_and_says_where_each_value_came_from(
    checked: evigrade.ArticleCheck,
) -> None:
    draft = checked.draft
    assert evigrade.validate_data(draft) == []
    for study in draft["studies"]:
        assert study["x-check"]["design_told"]
    for claim in draft["claims"]:
        assert claim["x-check"]["quote"] in ARTICLE
        for link in claim["evidence"]:
            assert isinstance(link["x-check"]["cited"], bool)
    tolerated = next(c for c in draft["claims"] if c["x-check"]["quote"].startswith("Over eight"))
    assert tolerated["evidence"][0]["x-check"] == {"cited": True, "why": "the sentence cites 3"}


def test_a_sentence_about_a_described_study_links_it_as_not_cited() -> None:
    text = (
        "Zinc\n\nA randomised trial looked at 60 adults with colds. Zinc shortened their colds. "
        "Few had side effects [1].\n\nReferences\n1. Ng, A., 2020. Zinc: a trial. Lancet, 3(1), "
        "pp.1-9.\n"
    )
    check = evigrade.check_article(text, schemes=["grade"])
    claim = _claim(check, "Zinc shortened")
    assert [(s.id, cited) for s, cited, _, _ in claim.links] == [("ng-2020", False)]


_PIECES = st.sampled_from(
    [
        "LDN reduces fatigue [1].",
        "Tea may help (2).",
        "A pilot trial enrolled 12 people with gout.",
        "Experimental studies in mice showed it works [3]-[4].",
        "In 2004, researchers conducting animal studies on mice found it helps.",
        "Book your FREE consultation.",
        "References",
        "1. Doe, J., 2020. A randomized trial of tea. Tea Journal, 1(1), pp.1-2.",
        "2. Shop (2024) Tea. Available at: https://shop.example/tea",
        "[5]-[2] (n = 3) p < .05 e.g. et al.",
        "",
        "???",
        "<p>html?</p>",
    ]
)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=40)), max_size=10))
def test_checking_never_raises_and_the_draft_is_always_valid(pieces: list[str]) -> None:
    check = evigrade.check_article("\n".join(pieces), schemes=["grade"])
    assert evigrade.validate_data(check.draft) == []
    json.dumps(check.to_data())


# -- HTML and Markdown --------------------------------------------------------------------------


def test_html_and_markdown_are_read_like_the_text() -> None:
    html = (
        "<html><head><title>Zinc</title></head><body><nav><a href='/'>Home</a></nav><article>"
        "<h1>Zinc and colds</h1><p>Zinc may shorten colds [1].</p><ul><li>Zinc is safe [2].</li>"
        "</ul><h2>References</h2><ol><li>Ng, A., 2020. Zinc: a randomized trial. Lancet, 3(1), "
        "pp.1-9.</li><li>Zinc Shop (2024) Zinc. Available at: https://zinc.example/</li></ol>"
        "</article></body></html>"
    )
    markdown = (
        "# Zinc and colds\n\nZinc may shorten colds [1].\n\n- Zinc is safe [2].\n\n## References\n\n"
        "1. Ng, A., 2020. Zinc: a randomized trial. Lancet, 3(1), pp.1-9.\n"
        "2. Zinc Shop (2024) Zinc. Available at: https://zinc.example/\n"
    )
    for text, name in ((html, "page.html"), (markdown, "page.md")):
        check = evigrade.check_article(text, name=name, schemes=["grade"])
        assert [c.claim.text for c in check.claims] == [
            "Zinc may shorten colds.",
            "Zinc is safe.",
        ], name
        assert [s.design for s in check.studies] == ["rct", "expert-opinion"], name


# -- the command ------------------------------------------------------------------------------


def test_check_prints_json_and_writes_a_valid_draft(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "beetroot.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    draft = tmp_path / "draft.json"
    with pytest.raises(SystemExit) as done:
        main(["check", str(article), "--format", "json", "-o", str(draft), "--scheme", "grade"])
    assert done.value.code == 0
    document = json.loads(capsys.readouterr().out)
    assert {"source", "claims", "references", "findings", "summary"} <= set(document)
    first = document["claims"][0]
    assert {
        "id",
        "quote",
        "citations",
        "strength",
        "grades",
        "supported_strength",
        "overclaim",
        "reasons",
    } <= set(first)
    assert first["citations"] == ["1"]
    assert set(first["grades"]) == {"grade"}
    reference = document["references"][2]
    assert {"id", "text", "design", "n", "species", "design_told"} <= set(reference)
    assert (reference["design"], reference["n"]) == ("single-arm-trial", 24)
    assert all("sentence" in f for f in document["findings"])
    with pytest.raises(SystemExit) as done:
        main(["validate", str(draft)])
    assert done.value.code == 0


@pytest.mark.parametrize("output_format", ["table", "markdown"])
def test_check_prints_the_claims_for_a_reviewer(tmp_path: Path, output_format: str) -> None:
    article = tmp_path / "beetroot.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(article), "-f", output_format, "-s", "grade"])
    assert result.exit_code == 0, result.output
    assert ("OVERCLAIM" if output_format == "table" else "**yes**") in result.output
    if output_format == "markdown":
        assert "the evidence is very uncertain about the harms of beetroot juice" in result.output


def test_check_of_bad_input_exits_2_naming_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(cli, ["check", str(missing)], standalone_mode=False)
    assert result.return_value == 2
    assert f"evigrade: {missing}: cannot read file" in result.output
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"Zinc\n\ncaf\xe9 helps\n")
    result = CliRunner().invoke(cli, ["check", str(latin)], standalone_mode=False)
    assert result.return_value == 2
    assert f"{latin}:3:4: not UTF-8 text" in result.output
    result = CliRunner().invoke(cli, ["check", str(latin), "--scheme", "nope"])
    assert result.exit_code == 2
    assert "'nope'; available: grade" in result.output


def test_low_certainty_supports_may_and_flags_the_unhedged_claim() -> None:
    text = (
        "Zinc and colds\n\nA randomised trial looked at 60 adults with colds. Zinc may shorten "
        "colds [1].\nZinc shortens colds [1].\n\nReferences\n1. Ng, A., 2020. Zinc for colds: a "
        "randomized placebo-controlled trial. Lancet, 3(1), pp.1-9.\n"
    )
    check = evigrade.check_article(text, schemes=["grade"])
    hedged, direct = _claim(check, "Zinc may"), _claim(check, "Zinc shortens")
    assert hedged.grades["grade"]["label"] == direct.grades["grade"]["label"] == "Low"
    assert hedged.support.wording == direct.support.wording == "zinc may shorten colds"
    assert (hedged.overclaim, direct.overclaim) == (False, True)
    assert "GRADE certainty Low: the informative statement is 'may reduce'" in direct.reasons
