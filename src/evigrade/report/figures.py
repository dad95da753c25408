"""The plots as files for a paper or a slide: SVG or PNG, drawn with matplotlib.

The same data as the page's plots (:mod:`.robplot`, :mod:`.evidencemap`), the same colours and
symbols. matplotlib is imported when a figure is first drawn (the ``report`` extra); the SVG
has fixed ids and no date, so the same input gives the same bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from ..version import __version__
from .evidencemap import TIER_COLOURS, TIER_NAMES, EvidenceMap
from .labels import DIRECTIONS, clean_text
from .robplot import CATEGORIES, DARK, PALETTES, RobPlots, summary_bars

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["FORMATS", "map_figure", "rob_figure", "rob_summary_figure", "save"]

Format = Literal["svg", "png"]
FORMATS: tuple[Format, ...] = ("svg", "png")

#: One cell of a plot, in inches; text sizes below are in points.
_UNIT = 0.36
_CHAR = 0.19  # width of one 9-point character, in cells
_FONT = 9


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    """A figure ``width`` × ``height`` cells whose one axes maps a cell to a unit, y down."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ModuleNotFoundError(
            "plots need matplotlib: pip install 'evigrade[report]'", name="matplotlib"
        ) from None
    figure = Figure(figsize=(width * _UNIT, height * _UNIT))
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(height, 0)
    axes.set_axis_off()
    return figure, axes


def _light(axes: Axes, x: float, y: float, key: str, palette: str) -> None:
    from matplotlib.patches import Circle

    colours = PALETTES[palette]
    axes.add_patch(Circle((x, y), 0.38, facecolor=colours[key], edgecolor="#1b1b1b", lw=0.6))
    symbol = CATEGORIES[key].symbol
    if symbol:
        colour = "#ffffff" if key in DARK else "#1b1b1b"
        axes.text(
            x,
            y,
            symbol,
            ha="center",
            va="center_baseline",
            fontsize=_FONT + 2,
            fontweight="bold",
            color=colour,
        )


def _legend_width(keys: list[str]) -> float:
    return sum(1.6 + len(CATEGORIES[key].label) * _CHAR * 1.15 for key in keys) + 0.8


def _legend(axes: Axes, y: float, keys: list[str], palette: str) -> None:
    x = 0.8
    for key in keys:
        _light(axes, x, y, key, palette)
        axes.text(x + 0.6, y, CATEGORIES[key].label, va="center", fontsize=_FONT)
        x += 1.6 + len(CATEGORIES[key].label) * _CHAR * 1.15


def _used(plots: RobPlots) -> list[str]:
    seen = {mark.category.key for p in plots.panels for row in p.rows for mark in row}
    return [key for key in CATEGORIES if key in seen]


_WIDE = 1.8  # the Overall column, in cells


def rob_figure(plots: RobPlots, palette: str = "cochrane") -> Figure:
    """The traffic-light plot: one panel per tool, one row per study, one column per domain
    and Overall; the domains named under each panel and the judgments in a legend."""
    from matplotlib.patches import Rectangle

    if not plots.panels:
        raise ValueError("no study with results to plot")
    keys = _used(plots)
    label = max(len(s) for p in plots.panels for s in p.studies) * _CHAR + 1
    columns = max(len(p.columns) for p in plots.panels)
    names = max((len(f"{c}: {n}") for p in plots.panels for c, n in p.columns), default=0)
    titles = max(len(p.title) for p in plots.panels) * (_CHAR + 0.02)
    width = max(label + columns - 1 + _WIDE + 0.5, names * _CHAR, titles, _legend_width(keys))
    height = sum(3 + len(p.studies) + 0.8 * (len(p.columns) - 1) for p in plots.panels) + 1.6
    figure, axes = _figure(width + 0.6, height)
    y = 0.8
    for panel in plots.panels:
        axes.text(0.3, y, panel.title, fontsize=_FONT + 1, fontweight="bold", va="center")
        y += 1.1
        domains = len(panel.columns) - 1

        def centre(index: int, domains: int = domains) -> float:
            return label + index + 0.5 if index < domains else label + domains + _WIDE / 2

        axes.add_patch(
            Rectangle(
                (label + domains, y - 0.5),
                _WIDE,
                len(panel.rows) + 1,
                facecolor="#e3e3e3",
                edgecolor="none",
            )
        )
        for index, (code, _) in enumerate(panel.columns):
            axes.text(
                centre(index), y, code, ha="center", va="center", fontsize=_FONT, fontweight="bold"
            )
        for row_index, (study, row) in enumerate(zip(panel.studies, panel.rows, strict=True)):
            row_y = y + row_index + 1
            axes.text(label - 0.3, row_y, study, ha="right", va="center", fontsize=_FONT)
            for index, mark in enumerate(row):
                _light(axes, centre(index), row_y, mark.category.key, palette)
        y += len(panel.rows) + 1.3
        for code, name in panel.columns[:-1]:
            axes.text(0.3, y, f"{code}: {name}", fontsize=_FONT - 1, va="center")
            y += 0.8
        y += 0.6
    _legend(axes, y, keys, palette)
    return figure


def rob_summary_figure(plots: RobPlots, palette: str = "cochrane", weighted: bool = True) -> Figure:
    """The summary bar plot: per panel, each domain's share of studies at each judgment."""
    from matplotlib.patches import Rectangle

    if not plots.panels:
        raise ValueError("no study with results to plot")
    colours = PALETTES[palette]
    label, bar = 12.0, 14.0
    titles = max(len(p.title) + 28 for p in plots.panels) * (_CHAR + 0.02)
    width = max(label + bar + 1, titles, _legend_width(_used(plots)))
    height = sum(len(p.columns) + 3 for p in plots.panels) + 1.6
    figure, axes = _figure(width, height)
    y = 0.8
    used: set[str] = set()
    for panel in plots.panels:
        bars, is_weighted = summary_bars(panel, weighted)
        basis = "weighted by participants" if is_weighted else "each study counted once"
        axes.text(
            0.3, y, f"{panel.title} ({basis})", fontsize=_FONT + 1, fontweight="bold", va="center"
        )
        y += 1.2
        for item in bars:
            name = item.column if item.column == item.domain else f"{item.column} {item.domain}"
            shown = name if len(name) <= 28 else name[:27] + "…"
            axes.text(label - 0.3, y, shown, ha="right", va="center", fontsize=_FONT)
            x = label
            for segment in item.segments:
                length = segment.share * bar
                key = segment.category.key
                used.add(key)
                axes.add_patch(
                    Rectangle(
                        (x, y - 0.35),
                        length,
                        0.7,
                        facecolor=colours[key],
                        edgecolor="#1b1b1b",
                        lw=0.4,
                    )
                )
                if segment.category.symbol and length >= 0.8:
                    axes.text(
                        x + length / 2,
                        y,
                        segment.category.symbol,
                        ha="center",
                        va="center_baseline",
                        fontsize=_FONT + 1,
                        fontweight="bold",
                        color="#ffffff" if key in DARK else "#1b1b1b",
                    )
                x += length
            y += 1
        axes.plot((label, label + bar), (y - 0.4, y - 0.4), color="#1b1b1b", lw=0.6)
        for tick in (0, 25, 50, 75, 100):
            axes.text(
                label + bar * tick / 100,
                y + 0.1,
                f"{tick}%",
                ha="center",
                va="center",
                fontsize=_FONT - 1,
            )
        y += 1.8
    _legend(axes, y, [key for key in CATEGORIES if key in used], palette)
    return figure


def map_figure(emap: EvidenceMap) -> Figure:
    """The evidence map: claims down, studies across, each cell coloured and named by the
    study's tier and marked with the direction of its result."""
    from matplotlib.patches import Rectangle

    if not emap.studies:
        raise ValueError("no claim cites a study in the file")
    label = max(len(r.claim_id) for r in emap.rows) * _CHAR + 1
    header = max(len(f"{s.id} · {s.short}") for s in emap.studies) * _CHAR + 0.6
    width = label + len(emap.studies) * 1.4 + 1
    height = header + len(emap.rows) + 4
    figure, axes = _figure(width, height)
    for index, study in enumerate(emap.studies):
        axes.text(
            label + index * 1.4 + 0.7,
            header - 0.2,
            f"{study.id} · {study.short}",
            rotation=90,
            ha="center",
            va="bottom",
            fontsize=_FONT - 1,
        )
    tiers: set[int] = set()
    for row_index, row in enumerate(emap.rows):
        y = header + row_index + 0.5
        axes.text(label - 0.3, y, row.claim_id, ha="right", va="center", fontsize=_FONT - 1)
        for index, cell in enumerate(row.cells):
            x = label + index * 1.4
            if cell is None:
                axes.add_patch(
                    Rectangle(
                        (x, y - 0.5), 1.4, 1, facecolor="#ffffff", edgecolor="#d0d0d0", lw=0.4
                    )
                )
                continue
            tier = cell.study.tier or 0
            tiers.add(tier)
            fill, ink = TIER_COLOURS[tier]
            axes.add_patch(
                Rectangle(
                    (x, y - 0.5),
                    1.4,
                    1,
                    facecolor=fill,
                    edgecolor="#808080",
                    lw=0.4,
                    hatch="///" if cell.status else None,
                )
            )
            axes.text(
                x + 0.7,
                y,
                cell.direction.symbol,
                ha="center",
                va="center_baseline",
                fontsize=_FONT + 1,
                fontweight="bold",
                color=ink,
            )
    y = header + len(emap.rows) + 1
    legend = "   ".join(f"{d.symbol} {d.word}" for k, d in DIRECTIONS.items() if k != "none")
    axes.text(0.3, y, f"Direction of the result: {legend}", fontsize=_FONT - 1, va="center")
    x = 0.3
    y += 1.2
    for tier in sorted(tiers, reverse=True):
        fill, _ = TIER_COLOURS[tier]
        axes.add_patch(
            Rectangle((x, y - 0.35), 0.9, 0.7, facecolor=fill, edgecolor="#808080", lw=0.4)
        )
        name = f"{tier} {TIER_NAMES[tier]}" if tier in TIER_NAMES else "no tier"
        axes.text(x + 1.1, y, name, va="center", fontsize=_FONT - 1)
        x += 2 + len(name) * _CHAR
    return figure


def save(figure: Figure, format: Format, title: str, dpi: int = 200) -> bytes:
    """The figure as SVG or PNG bytes; the SVG's ids are fixed and it carries no date."""
    import io

    import matplotlib

    metadata: dict[str, Any]
    if format == "svg":
        metadata = {"Date": None, "Title": title, "Creator": f"evigrade {__version__}"}
    else:
        metadata = {"Title": title, "Software": f"evigrade {__version__}"}
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "evigrade", "svg.fonttype": "path"}):
        figure.savefig(buffer, format=format, dpi=dpi, metadata=metadata)
    data = buffer.getvalue()
    if format == "svg":
        # The title as the SVG's own <title>, the accessible name viewers and readers use
        # (matplotlib writes it only into the RDF metadata).
        start = data.index(b"<svg")
        end = data.index(b">", start) + 1
        element = f"\n <title>{clean_text(title, quote=False)}</title>".encode()
        data = data[:end] + element + data[end:]
    return data
