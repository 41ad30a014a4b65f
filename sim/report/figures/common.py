"""What every figure shares: the house style, the figure class, and small drawing helpers."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache, partial, wraps
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FixedFormatter, FuncFormatter, PercentFormatter

from ...experiment.results import Results
from ...stats.catalogue import is_share
from ..geography import NoData
from ..i18n import current, tr
from ..tables import kept_incidents

TARGET_HOURS = 4.0
# the tallest (and widest) a report figure may be: 1,800 px at the report's 150 dpi, about
# two screens; a longer list belongs in the table under the figure, not in a picture
MAX_FIGURE_INCHES = 12.0
NO_RECORDS = (
    "these results keep no record tables (a sweep keeps none unless run with --keep-records)"
)
MPL_STYLE: dict[str, Any] = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "figure.titlesize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "grid.linewidth": 0.6,
    "svg.fonttype": "path",
}
_CJK_HINTS = (
    "cjk", "han sans", "han serif", "hei", "song", "ming", "kai", "wenquanyi", "wqy",
    "yahei", "pingfang", "hiragino", "fallback", "sarasa", "simsun", "fangsong",
    "noto sans sc", "noto sans tc", "noto serif sc", "uming", "ukai",
)  # fmt: skip
_CJK_FILE_HINTS = ("cjk", "wqy", "wenquanyi", "droidsansfallback", "sourcehan", "arphic", "uming")
_SYSTEM_FONTS_SCANNED: list[bool] = []
HALO = [patheffects.withStroke(linewidth=2.2, foreground="white")]


class ReportFigure(Figure):
    """A ``Figure`` that shows itself as a notebook cell's value even if pyplot was never
    imported: the inline backend hooks into notebook display only when pyplot is."""

    def _repr_png_(self) -> bytes:
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=100)
        return buf.getvalue()


def styled(fn: Callable[..., Figure]) -> Callable[..., Figure]:
    """One house style for every figure, without changing the caller's rcParams."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        with mpl.rc_context({**MPL_STYLE, **_language_style()}):
            return as_written(fn(*args, **kwargs))

    wrapper.is_figure = True  # type: ignore[attr-defined]  # what tests/test_report.py looks for
    return wrapper


@lru_cache(maxsize=1)
def plain(text: str) -> str:
    """``text`` drawn as written: a ``$`` would start matplotlib's mathtext."""
    return text.replace("$", r"\$")


def _language_style() -> dict[str, Any]:
    """A report in Chinese draws with a font that has its characters (Latin from it too;
    DejaVu Sans for anything it lacks); English keeps the house font."""
    font = cjk_font() if current() != "en" else None
    return {"font.family": "sans-serif", "font.sans-serif": [font, "DejaVu Sans"]} if font else {}


def as_written(fig: Figure) -> Figure:
    """Every text of ``fig`` (titles, labels, legends, annotations, fixed tick labels)
    drawn as written, in the report's language. The figures draw no mathtext of their
    own, so a ``$`` is always part of a user's name (a township, county, unit, variant or
    target) and must not start mathtext, which fails outright on most text between two
    of them. A report in another language translates each whole text by exact match
    (``i18n.tr``) and sets every text in a font that has its characters."""
    if getattr(fig, "_as_written", False):  # a figure function drawn inside another
        return fig
    fig._as_written = True  # type: ignore[attr-defined]
    family = _language_style().get("font.sans-serif")
    for text in fig.findobj(Text):
        written = tr(text.get_text())
        if "$" in written:
            written = plain(written)
        if written != text.get_text():
            text.set_text(written)
        if family:  # tick labels made at drawing time copy the first tick's font
            text.set_fontfamily(family)
    seen: set[int] = set()  # shared axes share their formatters
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for fmt in (axis.get_major_formatter(), axis.get_minor_formatter()):
                if id(fmt) in seen:
                    continue
                seen.add(id(fmt))
                if isinstance(fmt, FixedFormatter):
                    fmt.seq = [plain(tr(str(s))) for s in fmt.seq]
                elif isinstance(fmt, FuncFormatter):  # also what set_ticks(labels=) makes
                    fmt.func = partial(_plain_call, fmt.func)
    return fig


def _plain_call(func: Callable[..., Any], x: Any, pos: Any = None) -> str:
    return plain(tr(str(func(x, pos))))


def cjk_font() -> str | None:
    """A font with Chinese glyphs that matplotlib can use, or None (looked up once).

    Matched by name and then checked glyph by glyph: a fallback font such as "Last
    Resort" maps every character, but to a box, which is exactly what must not show.
    Simplified Chinese and sans faces first. A font installed after matplotlib cached
    its font list is found on the system and added, so installing one is enough.
    """
    from matplotlib import font_manager

    found = _cjk_in(font_manager.fontManager.ttflist)
    if found is None and not _SYSTEM_FONTS_SCANNED:
        _SYSTEM_FONTS_SCANNED.append(True)  # once a process: addfont would add duplicates
        for path in font_manager.findSystemFonts():
            if any(h in path.lower() for h in _CJK_FILE_HINTS):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        found = _cjk_in(font_manager.fontManager.ttflist)
    return found


@lru_cache(maxsize=64)
def _has_chinese(fname: str) -> bool:
    from matplotlib import ft2font

    try:
        charmap = ft2font.FT2Font(fname).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    return all(ord(c) in charmap for c in "浦阳街道镇乡")


def _cjk_in(entries: Iterable[Any]) -> str | None:
    def preference(e: Any) -> tuple[bool, bool]:
        low = e.name.lower()
        return (not low.endswith(" sc") and " sc " not in low, "serif" in low or "mono" in low)

    named = [e for e in entries if any(h in e.name.lower() for h in _CJK_HINTS)]
    for entry in sorted(named, key=preference):
        if "last resort" not in entry.name.lower() and _has_chinese(entry.fname):
            return entry.name
    return None


def chosen_variants(results: Results, variants: Iterable[str] | None) -> list[str]:
    chosen = list(results.variants if variants is None else variants)
    unknown = [v for v in chosen if v not in results.scenarios]
    if unknown:
        raise ValueError(f"unknown variant(s) {unknown}; the results have {results.variants}")
    return chosen


def colours_for(names: Sequence[str]) -> dict[str, Any]:
    """One colour per name (variant or model), in order, the same in every figure of a report."""
    palette = mpl.colormaps["tab10"].colors
    return {v: palette[i % len(palette)] for i, v in enumerate(names)}


def kept_records(results: Results, variants: Sequence[str]) -> pd.DataFrame:
    if results.incidents.empty:
        raise NoData(NO_RECORDS)
    inc = kept_incidents(results)
    return inc[inc["variant"].isin(variants)]


def percent_axis(ax: Any, indicator: str, axis: str) -> None:
    if is_share(indicator):
        getattr(ax, f"{axis}axis").set_major_formatter(PercentFormatter(1.0, decimals=0))


def error_lengths(mean: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Error-bar lengths; none where there is no interval (a single replication)."""
    err = np.vstack([mean - low, high - mean])
    return np.where(np.isfinite(err), np.maximum(err, 0), 0.0)


def interval_points(ax: Any, rows: pd.DataFrame, y: np.ndarray, colour: Any, **kw: Any) -> None:
    """Means as points with their 95% intervals, one row of ``rows`` per ``y``."""
    m = rows["mean"].to_numpy(dtype=float)
    err = error_lengths(m, rows["ci95_low"].to_numpy(float), rows["ci95_high"].to_numpy(float))
    ax.errorbar(m, y, xerr=err, fmt="o", ms=5, color=colour, elinewidth=1.5, capsize=2.5, **kw)


def bounded(inches: float) -> float:
    """A figure's height (or width) cut at ``MAX_FIGURE_INCHES``: every figure function
    sizes itself to its rows, and a list too long for the bound is shortened by the
    caller (the worst rows), so the cut only ever squeezes a figure that nearly fits."""
    return min(float(inches), MAX_FIGURE_INCHES)


def rows_per_panel(
    panels: int, *, row: float, panel: float, fixed: float, most: int = 40, least: int = 1
) -> int:
    """How many rows each of ``panels`` stacked panels can show within
    ``MAX_FIGURE_INCHES``: ``fixed`` inches of title and axis, ``panel`` inches per
    panel's own title, ``row`` inches per row; between ``least`` and ``most``."""
    room = MAX_FIGURE_INCHES - fixed - panel * panels
    return int(max(least, min(most, room // (row * max(1, panels)))))


def unit_names(results: Results, variant: str, folder: Any, titles: Any = None) -> dict[str, str]:
    """Unit -> a reader's name ("Yiwu squadron at Choujiang") for one variant: from
    ``titles`` (variant -> {unit: title}) when the caller has them, else rebuilt from the
    folder; empty (raw unit names are used) when the layout cannot be rebuilt."""
    if titles is not None and variant in titles:
        return dict(titles[variant])
    from ..names import unit_titles

    try:
        return unit_titles(results, variant, folder)
    except NoData:
        return {}
