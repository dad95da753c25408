"""The HTML report: what each part shows for the seed articles and a file with effects and
risk-of-bias assessments, escaping, the same bytes on every run, and nothing loaded from
anywhere."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evigrade
from evigrade.report import (
    ArticleClaim,
    ArticleFinding,
    ArticleSentence,
    ArticleView,
    absolute_risk,
    control_risk,
)
from evigrade.report.html import render_html
from evigrade.report.robplot import rob_plots
from evigrade.testing import strategies as gen

from .conftest import EXAMPLES, ROOT
from .htmlpage import Element, parse

pytest.importorskip("jinja2", reason="the report needs the report extra")

TRIALS = ROOT / "tests" / "data" / "report-trials.json"
SEEDS = sorted(EXAMPLES.glob("*.json"))


@pytest.fixture(scope="module")
def registry() -> evigrade.plugin.Registry:
    return evigrade.plugin.build_registry(disable=("*",))


def _page(path: Path, registry: evigrade.plugin.Registry, **options: object) -> tuple[str, Element]:
    report = evigrade.grade_file(path, registry=registry)
    page = render_html(report, registry=registry, **options)  # type: ignore[arg-type]
    return page, parse(page)


def _rows(tree: Element) -> list[Element]:
    return tree.find("table", "sof").find("tbody").find_all("tr", "sof-row")


# -- summary of findings --------------------------------------------------------------------


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_one_summary_row_per_claim_with_its_grade_certainty(
    path: Path, registry: evigrade.plugin.Registry
) -> None:
    report = evigrade.grade_file(path, registry=registry)
    tree = parse(render_html(report, registry=registry))
    rows = _rows(tree)
    assert [row.attrs["data-claim"] for row in rows] == [r.claim.id for r in report.results]
    for row, result in zip(rows, report.results, strict=True):
        grade = result.grades["grade"]
        assert row.attrs["data-certainty"] == grade.label
        cell = row.find("td", "certainty")
        assert cell.find("span", "label").text() == grade.label
        symbols = cell.find_all("span", "symbols")
        if grade.rank == 0:
            assert symbols == []
        else:
            shown = symbols[0].text()
            assert (shown.count("⊕"), shown.count("◯")) == (grade.rank, 4 - grade.rank)
            assert symbols[0].attrs["aria-hidden"] == "true"  # the label says it in words


def test_the_footnotes_say_each_move_and_whether_a_rule_or_a_reviewer_made_it(
    registry: evigrade.plugin.Registry,
) -> None:
    _, tree = _page(EXAMPLES / "ldn-multiple-sclerosis.json", registry)
    row = tree.find("tr", id="claim-ldn-serious-side-effects-rare")
    assert row.attrs["data-certainty"] == "Very low"
    keys = [a.text() for a in row.find("td", "certainty").find_all("a")]
    notes = [tree.find("li", id=f"fn-{key}") for key in keys]
    reviewer = [n for n in notes if n.attrs["data-source"] == "reviewer"]
    assert len(reviewer) == 1
    text = reviewer[0].text()
    assert "Imprecision, very serious (−2 levels)" in text
    assert "cannot show that serious harms are rare" in text
    assert "Judged by a reviewer." in text

    _, tree = _page(EXAMPLES / "ketamine-multiple-sclerosis.json", registry)
    row = tree.find("tr", id="claim-ketamine-reduces-ms-fatigue")
    assert row.find("td", "certainty").find("span", "symbols").text() == "⊕⊕◯◯"
    keys = [a.text() for a in row.find("td", "certainty").find_all("a")]
    bias, imprecision = (tree.find("li", id=f"fn-{key}") for key in keys)
    assert bias.attrs["data-source"] == imprecision.attrs["data-source"] == "rule"
    assert "Risk of bias, serious (−1 level)" in bias.text()
    assert "Judged by rule risk_of_bias.not-assessed." in bias.text()
    assert "Imprecision, serious (−1 level)" in imprecision.text()
    assert "Judged by rule imprecision.unknown-size." in imprecision.text()
    assert "studies: fitzgerald-2021" in imprecision.text()
    comments = row.find("td", data_label="Comments").text()
    assert "pending: protocol, ongoing: no results yet (ghajarzadeh-2023-inkling-ms)" in comments


def test_a_claim_with_nothing_gradable_says_why_instead_of_a_certainty(
    registry: evigrade.plugin.Registry,
) -> None:
    _, tree = _page(EXAMPLES / "ketamine-multiple-sclerosis.json", registry)
    row = tree.find("tr", id="claim-ketamine-side-effects")
    assert row.attrs["data-certainty"] == "No evidence"
    assert row.find("td", data_label="№ of participants (studies)").text() == "0 studies"
    (key,) = [a.text() for a in row.find("td", "certainty").find_all("a")]
    assert "no study is linked to this claim in the file" in tree.find("li", id=f"fn-{key}").text()


def test_absolute_effects_come_from_the_control_arms_and_each_relative_effect(
    registry: evigrade.plugin.Registry,
) -> None:
    _, tree = _page(TRIALS, registry)
    row = tree.find("tr", id="claim-drug-x-reduces-stroke")
    comparator = row.find("td", data_label="Risk with comparator").text()
    # 40 + 17 control events over two control arms of 200 and 120: 57 / 320
    assert comparator.count("178 per 1,000") == 2
    assert "Control risk 17.8%" in comparator
    assert "each arm taken as half of the participants analysed" in comparator
    intervention = row.find("td", data_label="Risk with intervention").text()
    assert "143 per 1,000 (116 to 175)" in intervention  # RR 0.80 (0.65 to 0.98)
    assert "35 fewer per 1,000 (from 62 fewer to 3 fewer)" in intervention
    assert "125 per 1,000 (80 to 196)" in intervention  # RR 0.70 (0.45 to 1.10)
    assert "from 98 fewer to 18 more" in intervention
    relative = row.find("td", data_label="Relative effect (95% CI)").text()
    assert "trial-a-2019RR 0.80 (0.65 to 0.98)" in relative
    assert "trial-b-2021RR 0.70 (0.45 to 1.10)" in relative
    assert row.find("td", data_label="№ of participants (studies)").text() == "640 (2 studies)"


def test_without_a_control_risk_the_absolute_effects_are_not_recorded(
    registry: evigrade.plugin.Registry,
) -> None:
    _, tree = _page(TRIALS, registry)
    row = tree.find("tr", id="claim-drug-x-reduces-death")
    assert row.find("td", data_label="Risk with comparator").text().strip() == "not recorded"
    assert row.find("td", data_label="Risk with intervention").text().strip() == "not recorded"
    assert "HR 0.90 (0.80 to 1.02)" in row.find("td", data_label="Relative effect (95% CI)").text()
    row = tree.find("tr", id="claim-drug-x-lowers-blood-pressure")
    assert "MD −5.20 (−7.10 to −3.30)" in row.find("td", data_label="Risk with intervention").text()
    assert "not applicable" in row.find("td", data_label="Relative effect (95% CI)").text()
    row = tree.find("tr", id="claim-drug-x-helps-everyone")
    assert row.find("td", data_label="Effects").text().startswith("No effect estimate recorded")


def test_a_control_risk_recorded_on_the_claim_wins_over_event_counts() -> None:
    evidence = evigrade.load(TRIALS)
    claim = evidence.claim("drug-x-reduces-stroke")
    assessment = evigrade.plugin.assess(claim, evidence, evigrade.get_registry())
    items = assessment.items
    counted = control_risk(claim, items)
    assert counted is not None
    assert counted.risk == pytest.approx(57 / 320)
    recorded = control_risk(SimpleNamespace(control_risk=0.25), items)  # type: ignore[arg-type]
    assert recorded is not None
    assert (recorded.risk, recorded.source) == (0.25, "the control risk recorded for the claim")
    boxed = control_risk(SimpleNamespace(control_risk=SimpleNamespace(risk=0.1)), ())  # type: ignore[arg-type]
    assert boxed is not None
    assert boxed.risk == 0.1
    # not a proportion: read as not recorded, and the events decide
    odd = control_risk(SimpleNamespace(control_risk=12), items)  # type: ignore[arg-type]
    assert odd is not None
    assert odd.risk == pytest.approx(57 / 320)
    assert control_risk(SimpleNamespace(control_risk=None), ()) is None  # type: ignore[arg-type]


def test_absolute_risk_follows_the_handbook_formulas() -> None:
    assert absolute_risk("RR", 0.5, 0.2) == pytest.approx(0.1)
    assert absolute_risk("OR", 0.5, 0.2) == pytest.approx(0.1 / 0.9)
    assert absolute_risk("HR", 0.5, 0.2) == pytest.approx(1 - 0.8**0.5)
    assert absolute_risk("RR", 3.0, 0.5) == 1.0  # a risk cannot exceed 1
    with pytest.raises(ValueError, match="not a ratio"):
        absolute_risk("MD", 1.0, 0.2)


@given(
    measure=st.sampled_from(["RR", "OR", "HR"]),
    low=st.floats(0.01, 20),
    high=st.floats(0.01, 20),
    risk=st.floats(0.001, 0.999),
)
def test_absolute_risk_is_a_risk_and_grows_with_the_ratio(
    measure: str, low: float, high: float, risk: float
) -> None:
    low, high = sorted((low, high))
    a, b = absolute_risk(measure, low, risk), absolute_risk(measure, high, risk)
    assert 0.0 <= a <= b <= 1.0
    assert absolute_risk(measure, 1.0, risk) == pytest.approx(risk)


# -- several schemes, the evidence profile ------------------------------------------------


def test_every_scheme_asked_for_is_shown_side_by_side(registry: evigrade.plugin.Registry) -> None:
    path = EXAMPLES / "ldn-mast-cell-activation.json"
    report = evigrade.grade_file(path, registry=registry)
    tree = parse(render_html(report, registry=registry))
    table = tree.find("table", "grades")
    for row, result in zip(table.find("tbody").find_all("tr"), report.results, strict=True):
        assert row.attrs["data-claim"] == result.claim.id
        for name in report.schemes:
            cell = row.find("td", data_scheme=name)
            assert cell.text().startswith(result.grades[name].label)
    assert "never converted into one another" in table.find("caption").text()
    one = evigrade.grade_file(path, ["grade"], registry=registry)
    assert parse(render_html(one, registry=registry)).find_all("table", "grades") == []


def test_the_profile_gives_each_domain_with_its_reason_and_who_judged_it(
    registry: evigrade.plugin.Registry,
) -> None:
    _, tree = _page(EXAMPLES / "ldn-multiple-sclerosis.json", registry)
    profile = tree.find("section", id="profile-ldn-serious-side-effects-rare")
    rows = {row.attrs["data-domain"]: row for row in profile.find("tbody").find_all("tr")}
    assert set(evigrade.plugin.DOMAINS) <= set(rows)
    imprecision = rows["imprecision"]
    assert imprecision.find("td", data_label="Judgment").text() == "very serious"
    assert imprecision.find("td", data_label="Effect on the grade").text() == "rated down 2 levels"
    assert imprecision.find("td", data_label="Judged by").text() == "reviewer"
    assert "the automatic rule" in imprecision.find("td", data_label="Reason").text()
    inconsistency = rows["inconsistency"]
    assert inconsistency.find("td", data_label="Judged by").text().startswith("rule inconsistency.")


# -- risk of bias ---------------------------------------------------------------------------


def _marks(tree: Element, anchor: str) -> tuple[Element, list[Element]]:
    panel = tree.find("section", id=anchor)
    svg = panel.find("svg", "traffic-light")
    return svg, svg.find_all("g", "mark")


def test_one_traffic_light_per_study_and_domain_with_its_label(
    registry: evigrade.plugin.Registry,
) -> None:
    _, tree = _page(TRIALS, registry)
    svg, marks = _marks(tree, "rob-rob2")
    assert len(marks) == 2 * 6  # two trials, five domains and overall
    labels = [mark.attrs["aria-label"] for mark in marks]
    assert labels[:6] == [
        "trial-a-2019, D1 (randomization): Low",
        "trial-a-2019, D2 (deviations): Some concerns",
        "trial-a-2019, D3 (missing data): Low",
        "trial-a-2019, D4 (measurement): Low",
        "trial-a-2019, D5 (selection of the result): Low",
        "trial-a-2019, Overall: Some concerns",
    ]
    assert labels[11] == "trial-b-2021, Overall: High (derived from the least favourable domain)"
    assert all(mark.attrs["role"] == "img" for mark in marks)
    assert [m.find("text").text() for m in marks[:2]] == ["+", "−"]
    assert svg.find("title").text().startswith("Traffic-light plot, RoB 2")
    _, marks = _marks(tree, "rob-robins-i")
    assert [sorted(m.classes - {"mark"})[0] for m in marks] == [
        "rob-high", "rob-some", "rob-low", "rob-low", "rob-unclear", "rob-low", "rob-critical",
        "rob-high",
    ]  # fmt: skip
    assert marks[6].attrs["aria-label"] == "cohort-c-2018, D7 (reporting): Critical"
    _, marks = _marks(tree, "rob-syrcle")
    assert (
        marks[1].attrs["aria-label"] == "mice-d-2017, D2 (baseline characteristics): Yes (low risk)"
    )
    assert (
        marks[3]
        .attrs["aria-label"]
        .endswith("Overall: High (derived from the least favourable domain)")
    )
    _, marks = _marks(tree, "rob-not-assessed")
    assert [m.attrs["aria-label"] for m in marks] == ["case-e-2020, Overall: Not assessed"]
    note = tree.find("section", id="rob").text()
    assert "opinion-f-2022 (expert opinion)" in note


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_studies_without_an_assessment_are_shown_as_not_assessed(
    path: Path, registry: evigrade.plugin.Registry
) -> None:
    evidence = evigrade.load(path)
    _, tree = _page(path, registry)
    empirical = sorted(
        s.id for s in evidence.studies if registry.designs[s.design].family != "non-empirical"
    )
    _, marks = _marks(tree, "rob-not-assessed")
    assert [m.attrs["aria-label"] for m in marks] == [
        f"{study}, Overall: Not assessed" for study in empirical
    ]
    assert all("rob-none" in m.classes for m in marks)


def test_the_summary_bars_weigh_studies_by_participants(registry: evigrade.plugin.Registry) -> None:
    _, tree = _page(TRIALS, registry)
    panel = tree.find("section", id="rob-rob2")
    summary = panel.find("svg", "rob-summary")
    labels = [seg.attrs["aria-label"] for seg in summary.find_all("g", "seg")]
    # randomization: trial-a (400) low, trial-b (240) high
    assert "D1 randomization: Low, 1 study (62%)" in labels
    assert "D1 randomization: High, 1 study (38%)" in labels
    assert "weighted by participants" in panel.text()
    _, tree = _page(TRIALS, registry, weighted=False)
    summary = tree.find("section", id="rob-rob2").find("svg", "rob-summary")
    labels = [seg.attrs["aria-label"] for seg in summary.find_all("g", "seg")]
    assert "D1 randomization: Low, 1 study (50%)" in labels


def test_both_robvis_palettes_are_in_the_page_and_the_switch_picks_one(
    registry: evigrade.plugin.Registry,
) -> None:
    page, tree = _page(TRIALS, registry)
    assert "--rob-low: #02C100;" in page and "--rob-high: #BF0000;" in page
    assert "--rob-low: #fed98e;" in page and "--rob-critical: #993404;" in page
    assert "checked" not in tree.find("input", id="palette-switch").attrs
    _, tree = _page(TRIALS, registry, palette="colourblind")
    assert "checked" in tree.find("input", id="palette-switch").attrs
    with pytest.raises(ValueError, match="unknown palette 'neon'"):
        _page(TRIALS, registry, palette="neon")


# -- evidence map -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_the_map_has_a_cell_per_citation_with_tier_and_direction(
    path: Path, registry: evigrade.plugin.Registry
) -> None:
    evidence = evigrade.load(path)
    _, tree = _page(path, registry)
    table = tree.find("table", "map")
    cells = table.find_all("td", "cited")
    links = [(c.id, link) for c in evidence.claims for link in c.evidence]
    assert len(cells) == len(links)
    rows = table.find("tbody").find_all("tr")
    assert [row.attrs["data-claim"] for row in rows] == [c.id for c in evidence.claims]
    for row, claim in zip(rows, evidence.claims, strict=True):
        cited = {c.attrs["data-study"]: c for c in row.find_all("td", "cited")}
        assert set(cited) == {link.study for link in claim.evidence}
        for link in claim.evidence:
            assert cited[link.study].attrs["data-direction"] == link.direction


def test_the_map_shows_trials_as_trials_and_mice_as_mice(
    registry: evigrade.plugin.Registry,
) -> None:
    _, tree = _page(EXAMPLES / "ldn-multiple-sclerosis.json", registry)
    table = tree.find("table", "map")
    mice = table.find("tr", data_claim="ldn-restores-ogf-in-eae-mice")
    cell = mice.find("td", data_study="ludwig-2017")
    assert (cell.attrs["data-tier"], cell.attrs["data-direction"]) == ("2", "supports")
    assert cell.find("span", aria_hidden="true").text() == "Mouse✓"
    assert "ludwig-2017: Animal study (mouse) (tier 2), supports" in cell.text()
    assert mice.find_all("td")[0].text() == "Mouse (tier 2)"
    trial = table.find("tr", data_claim="ldn-improves-mental-well-being")
    cell = trial.find("td", data_study="sharafaddinzadeh-2010")
    assert (cell.attrs["data-tier"], cell.attrs["data-direction"]) == ("7", "inconclusive")
    assert "Randomized controlled trial (tier 7), inconclusive" in cell.attrs["title"]
    assert trial.find_all("td")[0].text() == "RCT (tier 7)"
    # a cohort with no comparison group is mapped as what it is graded as
    cell = table.find("tr", data_claim="ldn-reduces-fatigue").find("td", data_study="turel-2015")
    assert cell.attrs["data-tier"] == "4"
    assert "Retrospective cohort study, graded as case series" in cell.attrs["title"]
    heads = [th.text() for th in table.find("thead").find_all("th", "study-col")]
    assert heads[:2] == ["cree-2010 · RCT", "sharafaddinzadeh-2010 · RCT"]


def test_pending_studies_are_hatched_on_the_map(registry: evigrade.plugin.Registry) -> None:
    _, tree = _page(EXAMPLES / "ketamine-multiple-sclerosis.json", registry)
    row = tree.find("table", "map").find("tr", data_claim="ketamine-reduces-ms-fatigue")
    cell = row.find("td", data_study="ghajarzadeh-2023-inkling-ms")
    assert "pending" in cell.classes
    assert "no results yet" in cell.attrs["title"]
    assert row.find_all("td")[0].text() == "RCT (tier 7)"


# -- the article view -------------------------------------------------------------------------


def test_article_spans_must_lie_inside_their_sentence_in_order() -> None:
    with pytest.raises(ValueError, match="outside the sentence"):
        ArticleSentence("Short.", (ArticleClaim(0, 40, "causal"),))
    with pytest.raises(ValueError, match="overlap"):
        ArticleSentence(
            "Drug X cures and prevents it.",
            (ArticleClaim(0, 14, "causal"), ArticleClaim(7, 20, "causal")),
        )


def _article() -> ArticleView:
    first = "Ketamine may reduce fatigue in MS, a small trial found."
    second = "Ketamine cures depression in MS <for good>."
    return ArticleView(
        title="Ketamine & MS",
        sentences=(
            ArticleSentence(
                first,
                (
                    ArticleClaim(
                        0,
                        first.index(","),
                        "hedged",
                        grade="Low",
                        scheme="grade",
                        claim_id="ketamine-reduces-ms-fatigue",
                    ),
                ),
                paragraph=0,
            ),
            ArticleSentence("Nothing is claimed here.", paragraph=0),
            ArticleSentence(
                second,
                (
                    ArticleClaim(
                        0,
                        len(second) - 1,
                        "causal",
                        grade="Low",
                        scheme="grade",
                        overclaim=True,
                        note="a causal cure claimed on low-certainty evidence",
                        claim_id="ketamine-relieves-depression-in-ms",
                    ),
                ),
                paragraph=1,
            ),
        ),
        findings=(
            ArticleFinding("the cited case report is one patient", "citation", "warning", 2),
            ArticleFinding("reference 7 cannot be found", "citation", "problem"),
        ),
        conflict_of_interest="The publisher sells ketamine <infusions>.",
    )


def test_a_checked_article_is_shown_with_each_claim_marked(
    registry: evigrade.plugin.Registry,
) -> None:
    path = EXAMPLES / "ketamine-multiple-sclerosis.json"
    report = evigrade.grade_file(path, registry=registry)
    page = render_html(report, registry=registry, article=_article())
    tree = parse(page)
    section = tree.find("section", id="article")
    assert section.find("h2").text() == "The article: Ketamine & MS"
    paragraphs = section.find_all("p", cls=None)
    marks = section.find_all("mark", "claim")
    assert [m.text() for m in marks] == [
        "Ketamine may reduce fatigue in MS",
        "Ketamine cures depression in MS <for good>",
    ]
    assert [m.attrs["data-strength"] for m in marks] == ["hedged", "causal"]
    assert ["overclaim" in m.classes for m in marks] == [False, True]
    sentence = section.find("span", id="sentence-2")
    badges = [b.text() for b in sentence.find_all("span", "badge")]
    assert badges == [
        "wording: causal",
        "grade: Low (GRADE certainty of evidence)",
        "overclaim: a causal cure claimed on low-certainty evidence",
    ]
    assert sentence.find("a").attrs["href"] == "#claim-ketamine-relieves-depression-in-ms"
    assert "1 worded more strongly than the evidence supports" in section.text()
    findings = section.find("ul", "findings").find_all("li")
    assert [f.attrs["data-severity"] for f in findings] == ["warning", "problem"]
    assert findings[0].find("a").attrs["href"] == "#sentence-2"
    assert findings[1].find_all("a") == []
    assert section.find("p", "coi").text() == "The publisher sells ketamine <infusions>."
    assert "&lt;for good&gt;" in page and "&lt;infusions&gt;" in page
    assert len([p for p in paragraphs if p.find_all("span", "sentence")]) == 2
    assert tree.find("nav").find("a", href="#article").text() == "The article"
    plain = parse(render_html(report, registry=registry))
    assert plain.find_all("section", id="article") == []


# -- safety of the page ---------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script> & \'quoted\' "double" \u0007bell\u0000nul \u202e'


def _hostile(tmp_path: Path) -> Path:
    data = json.loads(TRIALS.read_text(encoding="utf-8"))
    data["title"] = f"Title {HOSTILE}"
    data["source"]["title"] = f"</cite></p><img src=x onerror=alert(1)> {HOSTILE}"
    data["studies"][0]["title"] = f"</td><img src=x onerror=alert(2)>{HOSTILE}"
    data["studies"][0]["risk_of_bias"]["domains"] = {f'"><script>{HOSTILE}': "low"}
    data["claims"][0]["text"] = f"Claim {HOSTILE}"
    data["claims"][0]["outcome"] = f"<b>bold</b>{HOSTILE}"
    data["claims"][-1]["judgments"]["publication_bias"]["reason"] = f"<i>{HOSTILE}</i>"
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_text_from_the_file_is_escaped_everywhere(
    tmp_path: Path, registry: evigrade.plugin.Registry
) -> None:
    page, tree = _page(_hostile(tmp_path), registry)
    assert "<script" not in page
    assert "<img" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "\u0007" not in page and "\u0000" not in page
    assert "\ufffdbell\ufffdnul" in page
    row = tree.find("tr", id="claim-drug-x-reduces-stroke")
    assert row.find("span", "claim-text").text() == (
        'Claim <script>alert("x")</script> & \'quoted\' "double" \ufffdbell\ufffdnul \u202e'
    )
    mark = tree.find("section", id="rob-rob2").find("g", "mark")
    assert mark.attrs["aria-label"].startswith('trial-a-2019, D1 ("><script><script>alert("x")')


@pytest.mark.parametrize("path", [*SEEDS, TRIALS], ids=lambda p: p.stem)
def test_the_page_loads_nothing_from_anywhere(
    path: Path, registry: evigrade.plugin.Registry
) -> None:
    page, tree = _page(path, registry)
    assert not re.search(r"<(script|link|iframe|object|embed|img|video|audio|source)\b", page)
    assert not re.search(r"\bsrc\s*=", page)
    assert "url(" not in page and "@import" not in page
    for element in tree.iter():
        href = element.attrs.get("href")
        if href is not None:
            assert element.tag == "a", element
            assert href.startswith(("#", "https://", "http://")), href
        for name in element.attrs:
            assert not name.startswith("on"), element
    policy = tree.find("meta", http_equiv="Content-Security-Policy").attrs["content"]
    assert policy.startswith("default-src 'none';")


def test_every_link_inside_the_page_has_its_target(registry: evigrade.plugin.Registry) -> None:
    _, tree = _page(TRIALS, registry)
    ids = {e.attrs["id"] for e in tree.iter() if "id" in e.attrs}
    targets = {e.attrs["href"][1:] for e in tree.find_all("a") if e.attrs["href"].startswith("#")}
    assert targets <= ids, targets - ids
    assert len(ids) == len([e for e in tree.iter() if "id" in e.attrs])  # ids are unique


@pytest.mark.parametrize("path", [*SEEDS, TRIALS], ids=lambda p: p.stem)
def test_the_same_file_gives_the_same_bytes(path: Path, registry: evigrade.plugin.Registry) -> None:
    first, _ = _page(path, registry)
    second, _ = _page(path, registry)
    assert first == second


# -- any valid file -------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=gen.evidence_files(max_studies=5, max_claims=3))
def test_any_valid_file_gives_a_well_formed_page_with_every_part(data: dict[str, Any]) -> None:
    registry = evigrade.plugin.build_registry(disable=("*",))
    evidence = evigrade.from_data(data)
    report = evigrade.grade_file(evidence, registry=registry)
    page = render_html(report, registry=registry)
    tree = parse(page)  # every element closed where it was opened
    assert not re.search(r"<script\b|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", page)
    rows = tree.find("table", "sof").find("tbody").find_all("tr", "sof-row")
    assert [r.attrs["data-certainty"] for r in rows] == [
        result.grades["grade"].label for result in report.results
    ]
    plots = rob_plots(evidence, registry)
    marks = tree.find("section", id="rob").find_all("g", "mark")
    assert len(marks) == sum(len(p.studies) * len(p.columns) for p in plots.panels)
    links = sum(1 for c in evidence.claims for link in c.evidence)
    cited = tree.find("section", id="map").find_all("td", "cited")
    assert len(cited) == links
    assert render_html(report, registry=registry) == page
