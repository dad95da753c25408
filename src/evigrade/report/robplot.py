"""Risk-of-bias plots after robvis (McGuinness & Higgins 2020): a traffic-light plot, one row
per study and one column per domain plus Overall, and a summary bar plot per domain.

Each judgment has a symbol as well as a colour (+ low, − some concerns, × high, ! critical,
? no information) and two palettes: the Cochrane colours robvis uses and its colour-blind one.
Studies with no recorded assessment are shown as "not assessed"; designs no risk-of-bias tool
applies to (opinion, mechanism, reviews, anecdotes, protocols) are listed, not plotted.
This module holds the plots' data; :func:`traffic_light_svg` and :func:`summary_svg` draw them
for the HTML page, :mod:`evigrade.report.figures` for files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from ..risk import recorded_risk
from .labels import anchor, plural

if TYPE_CHECKING:
    from ..kinds import Registry
    from ..model import EvidenceFile, RiskOfBias, Study

__all__ = [
    "CATEGORIES",
    "PALETTES",
    "TOOL_TITLES",
    "Category",
    "Mark",
    "RobPanel",
    "RobPlots",
    "Segment",
    "SummaryBar",
    "rob_plots",
    "summary_bars",
    "summary_svg",
    "traffic_light_svg",
]


@attrs.frozen
class Category:
    """A kind of judgment as robvis draws it: a symbol and a colour key."""

    key: str
    symbol: str
    label: str


#: In the order the summary bars stack them, lowest risk first.
CATEGORIES: Mapping[str, Category] = {
    c.key: c
    for c in (
        Category("low", "+", "Low"),
        Category("some", "−", "Some concerns"),
        Category("high", "×", "High"),
        Category("critical", "!", "Critical"),
        Category("unclear", "?", "No information"),
        Category("other", "•", "Other judgment"),
        Category("none", "", "Not assessed"),
    )
}

#: robvis's palettes (its ``colour = "cochrane"`` and ``"colourblind"``), by category key.
PALETTES: Mapping[str, Mapping[str, str]] = {
    "cochrane": {
        "low": "#02C100",
        "some": "#E2DF07",
        "high": "#BF0000",
        "critical": "#820000",
        "unclear": "#4EA1F7",
        "other": "#a9a9a9",
        "none": "#cccccc",
    },
    "colourblind": {
        "low": "#fed98e",
        "some": "#fe9929",
        "high": "#d95f0e",
        "critical": "#993404",
        "unclear": "#ffffff",
        "other": "#a9a9a9",
        "none": "#cccccc",
    },
}

#: Categories whose fill is dark in either palette: their symbol is drawn in white.
DARK = frozenset({"high", "critical"})

TOOL_TITLES: Mapping[str, str] = {
    "rob2": "RoB 2 (randomized trials)",
    "robins-i": "ROBINS-I (non-randomized studies of interventions)",
    "syrcle": "SYRCLE (animal studies)",
    "quadas-2": "QUADAS-2 (diagnostic accuracy studies)",
    "other": "Other tool",
}

#: Each tool's words: (category key, the word as robvis labels it).
_WORDS: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "rob2": {
        "low": ("low", "Low"),
        "some-concerns": ("some", "Some concerns"),
        "high": ("high", "High"),
    },
    "robins-i": {
        "low": ("low", "Low"),
        "moderate": ("some", "Moderate"),
        "serious": ("high", "Serious"),
        "critical": ("critical", "Critical"),
        "no-information": ("unclear", "No information"),
    },
    "syrcle": {
        "low": ("low", "Low"),
        "some-concerns": ("some", "Some concerns"),
        "high": ("high", "High"),
        "unclear": ("unclear", "Unclear"),
        "yes": ("low", "Yes (low risk)"),
        "no": ("high", "No (high risk)"),
    },
    "quadas-2": {
        "low": ("low", "Low"),
        "high": ("high", "High"),
        "unclear": ("unclear", "Unclear"),
    },
    "other": {
        "low": ("low", "Low"),
        "some-concerns": ("some", "Some concerns"),
        "high": ("high", "High"),
        "unclear": ("unclear", "Unclear"),
    },
}

#: recorded_risk's words for an overall judgment worked out from the domains.
_DERIVED = {
    "low": ("low", "Low"),
    "some": ("some", "Some concerns"),
    "high": ("high", "High"),
    "critical": ("critical", "Critical"),
    "unclear": ("unclear", "No information"),
}

OVERALL = "Overall"


@attrs.frozen
class Mark:
    """One traffic light: a study's judgment of one domain (or overall)."""

    study: str
    column: str
    domain: str
    category: Category
    word: str
    label: str


@attrs.frozen
class RobPanel:
    """The traffic lights of the studies assessed with one tool, or (``tool`` None) of the
    studies with no assessment."""

    tool: str | None
    title: str
    anchor: str
    columns: tuple[tuple[str, str], ...]
    studies: tuple[str, ...]
    rows: tuple[tuple[Mark, ...], ...]
    sizes: tuple[int | None, ...]


@attrs.frozen
class RobPlots:
    """Every panel, and the studies left out because no risk-of-bias tool applies to them."""

    panels: tuple[RobPanel, ...]
    not_applicable: tuple[tuple[str, str], ...]


@attrs.frozen
class Segment:
    category: Category
    share: float
    studies: int


@attrs.frozen
class SummaryBar:
    """One domain's bar of the summary plot: each category's share of the studies."""

    column: str
    domain: str
    segments: tuple[Segment, ...]


def _judged(tool: str, word: str) -> tuple[Category, str]:
    key, label = _WORDS.get(tool, {}).get(word, ("other", word))
    return CATEGORIES[key], label


def _overall(study: Study, assessment: RiskOfBias) -> tuple[Category, str, str]:
    """(category, label, how it was read) of a study's overall judgment."""
    if assessment.overall is not None:
        category, label = _judged(assessment.tool, assessment.overall)
        return category, label, assessment.overall
    derived = recorded_risk(assessment)
    if derived is None:
        return CATEGORIES["none"], "Not assessed", ""
    key, label = _DERIVED[derived[0]]
    return CATEGORIES[key], label, "derived from the least favourable domain"


def _mark(study: str, column: str, domain: str, category: Category, label: str, word: str) -> Mark:
    named = domain if column in (domain, OVERALL) else f"{column} ({domain})"
    read = f" ({word})" if word and word.lower().replace("-", " ") not in label.lower() else ""
    return Mark(study, column, domain, category, word, f"{study}, {named}: {label}{read}")


def _panel(tool: str, studies: Sequence[Study]) -> RobPanel:
    domains: list[str] = []
    for study in studies:
        assert study.risk_of_bias is not None
        domains.extend(d for d in study.risk_of_bias.domains if d not in domains)
    columns = tuple((f"D{i}", name) for i, name in enumerate(domains, 1))
    rows = []
    for study in studies:
        assessment = study.risk_of_bias
        assert assessment is not None
        marks = []
        for code, name in columns:
            word = assessment.domains.get(name)
            if word is None:
                marks.append(_mark(study.id, code, name, CATEGORIES["none"], "Not assessed", ""))
            else:
                category, label = _judged(tool, word)
                marks.append(_mark(study.id, code, name, category, label, word))
        category, label, word = _overall(study, assessment)
        marks.append(_mark(study.id, OVERALL, OVERALL, category, label, word))
        rows.append(tuple(marks))
    return RobPanel(
        tool,
        TOOL_TITLES.get(tool, tool),
        anchor("rob", tool),
        (*columns, (OVERALL, OVERALL)),
        tuple(s.id for s in studies),
        tuple(rows),
        tuple(s.n for s in studies),
    )


def rob_plots(evidence: EvidenceFile, registry: Registry) -> RobPlots:
    """The risk-of-bias panels of a file: one per tool used (in robvis's order of tools), then
    the studies with results and no assessment; studies sorted by id."""
    by_tool: dict[str, list[Study]] = {}
    unassessed: list[Study] = []
    not_applicable: list[tuple[str, str]] = []
    for study in sorted(evidence.studies, key=lambda s: s.id):
        design = registry.designs.get(study.design)
        if study.risk_of_bias is not None:
            by_tool.setdefault(study.risk_of_bias.tool, []).append(study)
        elif design is not None and design.family == "non-empirical":
            not_applicable.append((study.id, design.label))
        else:
            unassessed.append(study)
    order = list(TOOL_TITLES)
    panels = [_panel(tool, by_tool[tool]) for tool in sorted(by_tool, key=order.index)]
    if unassessed:
        rows = tuple(
            (_mark(s.id, OVERALL, OVERALL, CATEGORIES["none"], "Not assessed", ""),)
            for s in unassessed
        )
        panels.append(
            RobPanel(
                None,
                "No risk-of-bias assessment recorded",
                "rob-not-assessed",
                ((OVERALL, OVERALL),),
                tuple(s.id for s in unassessed),
                rows,
                tuple(s.n for s in unassessed),
            )
        )
    return RobPlots(tuple(panels), tuple(not_applicable))


def summary_bars(panel: RobPanel, weighted: bool = True) -> tuple[tuple[SummaryBar, ...], bool]:
    """The summary plot of a panel and whether it is weighted: by participants when asked and
    every study's size is known (robvis weights by a study's weight; evigrade by its size),
    else each study counting once."""
    use_weights = weighted and all(size for size in panel.sizes)
    weights = [float(size or 0) if use_weights else 1.0 for size in panel.sizes]
    total = sum(weights)
    bars = []
    for index, (column, domain) in enumerate(panel.columns):
        shares: dict[str, list[float]] = {}
        for row, weight in zip(panel.rows, weights, strict=True):
            entry = shares.setdefault(row[index].category.key, [0.0, 0])
            entry[0] += weight
            entry[1] += 1
        segments = tuple(
            Segment(CATEGORIES[key], shares[key][0] / total if total else 0.0, int(shares[key][1]))
            for key in CATEGORIES
            if key in shares
        )
        bars.append(SummaryBar(column, domain, segments))
    return tuple(bars), use_weights


# -- inline SVG for the HTML page ---------------------------------------------------------------

_CELL = 32
_OVERALL = 60
_RADIUS = 13
_CHAR = 7.4  # width of one character of the 13px labels, generously


def _esc(text: str) -> str:
    from .labels import clean_text

    return clean_text(text, quote=True)


def _legend_keys(panel: RobPanel) -> list[Category]:
    seen = {mark.category.key for row in panel.rows for mark in row}
    return [c for key, c in CATEGORIES.items() if key in seen]


def traffic_light_svg(panel: RobPanel) -> str:
    """The panel's traffic-light plot as inline SVG: each mark a labelled image with a title,
    a filled circle and its symbol; the Overall column shaded as robvis shades it."""
    label_width = round(max(len(s) for s in panel.studies) * _CHAR) + 16
    domains = len(panel.columns) - 1
    width = label_width + _CELL * domains + _OVERALL + 8
    height = _CELL * (len(panel.rows) + 1) + 8

    def centre(index: int) -> int:
        if index == domains:
            return label_width + _CELL * domains + _OVERALL // 2
        return label_width + _CELL * index + _CELL // 2

    ident = panel.anchor
    count = f"{plural(len(panel.studies), 'study', 'studies')} × " + (
        f"{plural(len(panel.columns) - 1, 'domain')} and overall"
        if len(panel.columns) > 1
        else "overall judgment"
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="traffic-light" role="group" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{ident}-title">',
        f'<title id="{ident}-title">Traffic-light plot, {_esc(panel.title)}: {count}</title>',
    ]
    overall_x = label_width + _CELL * domains
    parts.append(
        f'<rect class="overall-band" x="{overall_x}" y="0" width="{_OVERALL}" height="{height}"/>'
    )
    for index, (code, _) in enumerate(panel.columns):
        x = centre(index)
        parts.append(
            f'<text class="col" x="{x}" y="{_CELL - 10}" text-anchor="middle">{_esc(code)}</text>'
        )
    for number, (study, row) in enumerate(zip(panel.studies, panel.rows, strict=True)):
        y = _CELL * (number + 1) + _CELL // 2
        parts.append(
            f'<text class="study" x="{label_width - 8}" y="{y + 4}" '
            f'text-anchor="end">{_esc(study)}</text>'
        )
        for index, mark in enumerate(row):
            x = centre(index)
            key = mark.category.key
            symbol = mark.category.symbol
            parts.append(
                f'<g class="mark rob-{key}" role="img" aria-label="{_esc(mark.label)}">'
                f"<title>{_esc(mark.label)}</title>"
                f'<circle cx="{x}" cy="{y}" r="{_RADIUS}"/>'
                + (
                    f'<text x="{x}" y="{y + 5}" text-anchor="middle" aria-hidden="true">'
                    f"{_esc(symbol)}</text>"
                    if symbol
                    else ""
                )
                + "</g>"
            )
    parts.append("</svg>")
    return "".join(parts)


def summary_svg(panel: RobPanel, weighted: bool = True) -> tuple[str, bool]:
    """The panel's summary bar plot as inline SVG, and whether it is weighted."""
    bars, is_weighted = summary_bars(panel, weighted)
    label_width = 150
    plot = 360
    bar = 22
    width = label_width + plot + 16
    height = bar * len(bars) + 52
    ident = f"{panel.anchor}-summary"
    basis = "weighted by participants" if is_weighted else "each study counted once"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rob-summary" role="group" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{ident}-title">',
        f'<title id="{ident}-title">Risk-of-bias summary, {_esc(panel.title)}: share of '
        f"studies per judgment in each domain ({basis})</title>",
    ]
    for index, item in enumerate(bars):
        y = 8 + index * bar
        name = item.column if item.column == item.domain else f"{item.column} {item.domain}"
        shown = name if len(name) <= 21 else name[:20] + "…"
        parts.append(
            f'<text class="domain" x="{label_width - 8}" y="{y + 15}" '
            f'text-anchor="end">{_esc(shown)}</text>'
        )
        x = float(label_width)
        for segment in item.segments:
            length = segment.share * plot
            label = (
                f"{name}: {segment.category.label}, "
                f"{plural(segment.studies, 'study', 'studies')} ({segment.share:.0%})"
            )
            parts.append(
                f'<g class="seg rob-{segment.category.key}" role="img" aria-label="{_esc(label)}">'
                f"<title>{_esc(label)}</title>"
                f'<rect x="{x:.1f}" y="{y + 2}" width="{length:.1f}" height="{bar - 4}"/>'
                + (
                    f'<text x="{x + length / 2:.1f}" y="{y + 16}" text-anchor="middle" '
                    f'aria-hidden="true">{_esc(segment.category.symbol)}</text>'
                    if segment.category.symbol and length >= 14
                    else ""
                )
                + "</g>"
            )
            x += length
    axis_y = 8 + len(bars) * bar + 4
    parts.append(
        f'<line class="axis" x1="{label_width}" y1="{axis_y}" x2="{label_width + plot}" '
        f'y2="{axis_y}"/>'
    )
    for tick in (0, 25, 50, 75, 100):
        x = label_width + plot * tick / 100
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{axis_y + 16}" text-anchor="middle">{tick}%</text>'
        )
    parts.append("</svg>")
    return "".join(parts), is_weighted
