"""The summary of findings of real reviews: the evidence files made from published Cochrane
summary-of-findings tables (../shared/data/validity-dev) give back each outcome's recorded effect
and participants, row by row. Read, never copied: the test skips where ../shared is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

import evigrade
from evigrade.report.html import render_html
from evigrade.report.labels import number

from .htmlpage import parse

pytest.importorskip("jinja2", reason="the report needs the report extra")


def test_each_published_outcome_shows_its_effect_and_participants(shared: Path) -> None:
    folder = shared / "data" / "validity-dev" / "automatic"
    files = sorted(folder.glob("*.json"))
    if not files:
        pytest.skip(f"no evidence files in {folder}")
    registry = evigrade.plugin.build_registry(disable=("*",))
    checked = 0
    for path in files:
        report = evigrade.grade_file(path, ["grade"], registry=registry)
        tree = parse(render_html(report, registry=registry))
        rows = tree.find("table", "sof").find("tbody").find_all("tr", "sof-row")
        assert len(rows) == len(report.results), path.name
        for row, result in zip(rows, report.results, strict=True):
            assert row.attrs["data-certainty"] == result.grades["grade"].label
            (link,) = result.claim.evidence
            effect = link.effect
            assert effect is not None
            shown = f"{effect.measure} {number(effect.estimate)}"
            column = "Relative effect (95% CI)" if effect.is_ratio else "Risk with intervention"
            assert shown in row.find("td", data_label=column).text(), (path.name, result.claim.id)
            size = report.evidence.study(link.study).n
            participants = row.find("td", data_label="№ of participants (studies)").text()
            assert participants == f"{size:,} (1 study)", (path.name, result.claim.id)
            checked += 1
    assert checked > 100
