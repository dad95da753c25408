"""The HTML report and the plots of a graded evidence file.

:func:`render_html` makes one self-contained page: a summary-of-findings table, the evidence
profile, risk-of-bias plots, an evidence map, every scheme's grade side by side and, when one
is given, the checked article (:class:`ArticleView`). :mod:`evigrade.report.figures` draws the
plots as SVG or PNG files (matplotlib, the ``report`` extra). Importing this package imports
no third-party library; Jinja2 is imported when a page is first rendered.
"""

from __future__ import annotations

from .article import ArticleClaim, ArticleFinding, ArticleSentence, ArticleView
from .html import render_html
from .robplot import PALETTES
from .sof import ControlRisk, absolute_risk, control_risk

__all__ = [
    "PALETTES",
    "ArticleClaim",
    "ArticleFinding",
    "ArticleSentence",
    "ArticleView",
    "ControlRisk",
    "absolute_risk",
    "control_risk",
    "render_html",
]
