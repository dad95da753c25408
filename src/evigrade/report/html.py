"""The report page: every part assembled into one self-contained HTML file.

The page has inline CSS and SVG and nothing else: no script, no font, no image or style sheet
from anywhere (its Content-Security-Policy forbids loading any), and the same bytes for the same
input. Jinja2 templates (``templates/``) lay it out with escaping on for every value; text from
the evidence file is also cleaned of the characters HTML forbids (:func:`labels.clean`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..version import __version__
from .article import ArticleClaim, ArticleView, pieces
from .evidencemap import TIER_COLOURS, TIER_NAMES, evidence_map
from .labels import DIRECTIONS, anchor, clean, main_scheme
from .profile import profiles
from .robplot import CATEGORIES, DARK, PALETTES, rob_plots, summary_svg, traffic_light_svg
from .sof import CERTAINTY_SYMBOLS, sof_rows

if TYPE_CHECKING:
    from jinja2 import Environment

    from ..grading import Report
    from ..kinds import Registry

__all__ = ["render_html"]


@functools.cache
def _environment() -> Environment:
    import jinja2
    from markupsafe import Markup

    def finalize(value: Any) -> Any:
        if isinstance(value, str) and not isinstance(value, Markup):
            return clean(value)
        return value

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("evigrade.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.globals["anchor"] = anchor
    return environment


def _palette_css() -> str:
    """The palettes as CSS custom properties: the Cochrane colours by default, the colour-blind
    ones when the page's switch is on."""
    lines = [":root {"]
    lines += [f"  --rob-{key}: {colour};" for key, colour in PALETTES["cochrane"].items()]
    lines.append("}")
    lines.append("body:has(#palette-switch:checked) {")
    lines += [f"  --rob-{key}: {colour};" for key, colour in PALETTES["colourblind"].items()]
    lines.append("}")
    for key in CATEGORIES:
        colour = f"var(--rob-{key})"
        lines.append(
            f".rob-{key} circle, .rob-{key} rect, .swatch.rob-{key} "
            f"{{ fill: {colour}; background: {colour}; }}"
        )
    lines.append(", ".join(f".rob-{key} text" for key in sorted(DARK)) + " { fill: #fff; }")
    for tier, (fill, text) in TIER_COLOURS.items():
        lines.append(f".tier-{tier or 'none'} {{ background: {fill}; color: {text}; }}")
    return "\n".join(lines)


def _schemes(report: Report, registry: Registry) -> list[dict[str, Any]]:
    shown = []
    for name in report.schemes:
        scheme = registry.schemes.get(name)
        labels = tuple(scheme.labels) if scheme is not None else ()
        shown.append(
            {
                "name": name,
                "title": scheme.title if scheme is not None else name,
                "top": len(labels) - 1 if labels else None,
            }
        )
    return shown


def _studies(report: Report, registry: Registry) -> list[dict[str, Any]]:
    listed = []
    for study in sorted(report.evidence.studies, key=lambda s: s.id):
        design = registry.designs.get(study.design)
        authors = ", ".join(study.authors[:3]) + (" et al." if len(study.authors) > 3 else "")
        url = study.url if study.url and study.url.startswith(("https://", "http://")) else None
        listed.append(
            {
                "study": study,
                "anchor": anchor("study", study.id),
                "design": design.label if design is not None else study.design,
                "size": "not reported" if study.n is None else f"{study.n:,}",
                "authors": authors,
                "url": url,
                "doi": f"https://doi.org/{study.doi}" if study.doi else None,
            }
        )
    return listed


def _claim_label(claim: ArticleClaim, titles: Mapping[str, str]) -> str:
    """What assistive technology names a marked claim: its wording, grade and verdict."""
    if claim.grade is None:
        grade = "not graded"
    elif claim.scheme:
        grade = f"grade {claim.grade} ({titles.get(claim.scheme, claim.scheme)})"
    else:
        grade = f"grade {claim.grade}"
    verdict = "overclaim" if claim.overclaim else "not an overclaim"
    return f"Claim, worded {claim.strength}; {grade}; {verdict}"


def _article(
    article: ArticleView | None, claims: set[str], titles: Mapping[str, str]
) -> dict[str, Any] | None:
    if article is None:
        return None
    paragraphs: list[list[dict[str, Any]]] = []
    last: int | None = None
    for index, sentence in enumerate(article.sentences):
        if last is None or sentence.paragraph != last:
            paragraphs.append([])
            last = sentence.paragraph
        paragraphs[-1].append(
            {"index": index, "anchor": f"sentence-{index}", "pieces": pieces(sentence)}
        )
    marked = [claim for sentence in article.sentences for claim in sentence.claims]
    return {
        "view": article,
        "paragraphs": paragraphs,
        "claims": len(marked),
        "overclaims": sum(claim.overclaim for claim in marked),
        "known_claims": claims,
        "claim_anchor": functools.partial(anchor, "claim"),
        "claim_label": functools.partial(_claim_label, titles=titles),
    }


def render_html(
    report: Report,
    *,
    registry: Registry,
    article: ArticleView | None = None,
    palette: str = "cochrane",
    weighted: bool = True,
) -> str:
    """The report of a graded file as one self-contained HTML page.

    ``article``, when given, adds the checked article as a section. ``palette`` is the
    risk-of-bias palette the page opens with (``cochrane`` or ``colourblind``; the page has a
    switch). ``weighted`` weights the risk-of-bias summary bars by participants where every
    study's size is known.
    """
    if palette not in PALETTES:
        raise ValueError(f"unknown palette {palette!r}; available: {', '.join(PALETTES)}")
    evidence = report.evidence
    rows, footnotes = sof_rows(report, registry)
    plots = rob_plots(evidence, registry)
    panels = []
    for panel in plots.panels:
        summary, is_weighted = summary_svg(panel, weighted)
        panels.append(
            {
                "panel": panel,
                "svg": traffic_light_svg(panel),
                "summary": summary,
                "weighted": is_weighted,
                "legend": [
                    c
                    for c in CATEGORIES.values()
                    if any(mark.category == c for row in panel.rows for mark in row)
                ],
            }
        )
    schemes = _schemes(report, registry)
    titles = {s["name"]: s["title"] for s in schemes}
    context: Mapping[str, Any] = {
        "title": evidence.title or (os.path.basename(report.file) if report.file else "Evidence"),
        "evidence": evidence,
        "file": os.path.basename(report.file) if report.file else None,
        "version": __version__,
        "colourblind": palette == "colourblind",
        "palette_css": _palette_css(),
        "main": main_scheme(report),
        "schemes": schemes,
        "scheme_titles": titles,
        "results": report.results,
        "failures": report.failures,
        "sof": rows,
        "footnotes": footnotes,
        "symbols": CERTAINTY_SYMBOLS,
        "profiles": profiles(report),
        "panels": panels,
        "not_applicable": plots.not_applicable,
        "map": evidence_map(evidence, registry),
        "tiers": TIER_NAMES,
        "directions": DIRECTIONS,
        "studies": _studies(report, registry),
        "article": _article(article, {claim.id for claim in evidence.claims}, titles),
    }
    return _environment().get_template("page.html.j2").render(context)
