"""Figures from results, one function each, for notebooks, the command line and the report.

Every function takes a ``sim.Results`` (``sim.load_results(folder)`` or what
``sim.compare`` returns) and returns a matplotlib ``Figure``. Figures are built
with ``matplotlib.figure.Figure``, never pyplot: the report draws a dozen of them
in a command-line process without touching a GUI backend or pyplot's global list
of open figures, and a notebook still shows one as a cell's value. Save with
``fig.savefig("x.png")`` (Agg) or ``"x.svg"``.

Data a figure cannot have raises ``NoData`` with the reason (a sweep keeps no
record tables unless run with ``--keep-records``; a map needs the region CSV).
Chinese names appear only when matplotlib has a font with Chinese glyphs;
otherwise the romanised ``township`` names are used, so nothing draws as boxes.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, NullFormatter, PercentFormatter

from ..experiment.results import Results
from ..stats import backlog_series, t_interval
from .geography import Geography, NoData, geography
from .tables import (
    HIGHER_IS_BETTER,
    INDICATORS,
    by_variant,
    is_share,
    kept_incidents,
    label,
    monthly_ranking,
    ranking_summary,
)

__all__ = [
    "TARGET_HOURS",
    "NoData",
    "ReportFigure",
    "backlog",
    "cjk_font",
    "discovery_channels",
    "monthly_ranking_chart",
    "response_by_county",
    "response_by_unit",
    "response_ecdf",
    "sweep_effects",
    "sweep_parameters",
    "township_map",
    "workload_by_unit",
]

TARGET_HOURS = 4.0
NO_RECORDS = (
    "these results keep no record tables (a sweep keeps none unless run with --keep-records)"
)
STYLE: dict[str, Any] = {
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
ACTIVITIES = (
    ("onsite_hours", "on site", "#1f77b4"),
    ("travel_hours", "travel", "#ff7f0e"),
    ("paperwork_hours", "paperwork", "#2ca02c"),
    ("inspection_hours", "planned inspections", "#9467bd"),
    ("diverted_hours", "diverted work", "#d62728"),
    ("idle_hours", "idle", "#d9d9d9"),
)
CHANNELS = (
    ("patrol", "grid patrols", "#2ca02c"),
    ("citizen", "citizens", "#1f77b4"),
    ("sensor", "sensors", "#9467bd"),
    ("inspection", "upper-level inspections", "#8c564b"),
)
MODEL_MARKERS = {
    "stationed": ("^", "stationed office"),
    "squadron": ("s", "squadron base"),
    "central": ("D", "central pool"),
    "integrated": ("P", "integrated-team post"),
}
SWEEP_INDICATORS = (
    "response_h_mean",
    "response_h_p90",
    "two_person_compliance",
    "pollution_hours_mean",
)
_CJK_HINTS = (
    "cjk", "han sans", "han serif", "hei", "song", "ming", "kai", "wenquanyi", "wqy",
    "yahei", "pingfang", "hiragino", "fallback", "sarasa", "simsun", "fangsong",
    "noto sans sc", "noto sans tc", "noto serif sc", "uming", "ukai",
)  # fmt: skip
_HALO = [patheffects.withStroke(linewidth=2.2, foreground="white")]
_XMIN_H = 0.05  # 3 minutes: the left end of log-scaled response axes


class ReportFigure(Figure):
    """A ``Figure`` that shows itself as a notebook cell's value even if pyplot was never
    imported: the inline backend hooks into notebook display only when pyplot is."""

    def _repr_png_(self) -> bytes:
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=100)
        return buf.getvalue()


def _styled(fn: Callable[..., Figure]) -> Callable[..., Figure]:
    """One house style for every figure, without changing the caller's rcParams."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        with mpl.rc_context(STYLE):
            return fn(*args, **kwargs)

    return wrapper


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """A font with Chinese glyphs that matplotlib can use, or None.

    Matched by name and then checked glyph by glyph: a fallback font such as "Last
    Resort" maps every character, but to a box, which is exactly what must not show.
    """
    from matplotlib import font_manager, ft2font

    for entry in font_manager.fontManager.ttflist:
        low = entry.name.lower()
        if "last resort" in low or not any(h in low for h in _CJK_HINTS):
            continue
        try:
            charmap = ft2font.FT2Font(entry.fname).get_charmap()
        except (OSError, RuntimeError, ValueError):
            continue
        if all(ord(c) in charmap for c in "浦阳街道镇乡"):
            return entry.name
    return None


# ----------------------------------------------------------------------------- helpers


def _variants(results: Results, variants: Iterable[str] | None) -> list[str]:
    chosen = list(results.variants if variants is None else variants)
    unknown = [v for v in chosen if v not in results.scenarios]
    if unknown:
        raise ValueError(f"unknown variant(s) {unknown}; the results have {results.variants}")
    return chosen


def _colours(results: Results) -> dict[str, Any]:
    """One colour per variant, the same in every figure of a report."""
    palette = mpl.colormaps["tab10"].colors
    return {v: palette[i % len(palette)] for i, v in enumerate(results.variants)}


def _incidents(results: Results, variants: Sequence[str]) -> pd.DataFrame:
    if results.incidents.empty:
        raise NoData(NO_RECORDS)
    inc = kept_incidents(results)
    return inc[inc["variant"].isin(variants)]


def _percent_axis(ax: Any, indicator: str, axis: str) -> None:
    if is_share(indicator):
        getattr(ax, f"{axis}axis").set_major_formatter(PercentFormatter(1.0, decimals=0))


def _errors(mean: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Error-bar lengths; none where there is no interval (a single replication)."""
    err = np.vstack([mean - low, high - mean])
    return np.where(np.isfinite(err), np.maximum(err, 0), 0.0)


def _interval_points(ax: Any, rows: pd.DataFrame, y: np.ndarray, colour: Any, **kw: Any) -> None:
    """Means as points with their 95% intervals, one row of ``rows`` per ``y``."""
    m = rows["mean"].to_numpy(dtype=float)
    err = _errors(m, rows["ci95_low"].to_numpy(float), rows["ci95_high"].to_numpy(float))
    ax.errorbar(m, y, xerr=err, fmt="o", ms=5, color=colour, elinewidth=1.5, capsize=2.5, **kw)


def _short(path: str) -> str:
    """A dotted parameter path by its last two parts: enough to tell parameters apart."""
    return ".".join(path.split(".")[-2:])


def _wrap(text: str, width: int = 30) -> str:
    return "\n".join(textwrap.wrap(text, width))


# ------------------------------------------------------------------------ response time


@_styled
def response_ecdf(
    results: Results,
    *,
    target_hours: float = TARGET_HOURS,
    variants: Iterable[str] | None = None,
) -> Figure:
    """Share of reports with a legal team on site within x hours, per variant.

    The denominator is every report, so reports still waiting at the horizon keep a
    curve below 100%. The major-incident panel is the one a "90% within 4 h" target
    is usually about: only majors call officers out off duty.
    """
    vs = _variants(results, variants)
    inc = _incidents(results, vs)
    reported = inc[inc["reported_h"].notna()]
    if reported.empty:
        raise NoData("no incident was reported after the warm-up")
    panels = [("All reports", reported)]
    major = reported[reported["severity"].astype(str) == "major"]
    if len(major):
        panels.append(("Major incidents", major))
    colours = _colours(results)
    fig = ReportFigure(figsize=(5.0 * len(panels) + 0.4, 4.3), layout="constrained")
    axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]
    longest = 1.0
    for ax, (title, df) in zip(axes, panels, strict=True):
        for v in vs:
            mine = df[df["variant"] == v]
            if mine.empty:
                continue
            r = (mine["arrived_h"] - mine["reported_h"]).to_numpy(dtype=float)
            x = np.sort(r[np.isfinite(r)])
            within = float(np.sum(x <= target_hours)) / len(r)
            y = np.arange(1, len(x) + 1) / len(r)
            ax.step(
                np.r_[_XMIN_H, np.maximum(x, _XMIN_H)],
                np.r_[0.0, y],
                where="post",
                color=colours[v],
                lw=1.6,
                label=f"{v}: {within:.0%} within {target_hours:g} h",
            )
            if len(x):
                longest = max(longest, float(x[-1]))
        ax.axvline(target_hours, color="0.25", ls="--", lw=1)
        ax.axhline(0.9, color="0.45", ls=":", lw=1)
        ax.annotate("90%", xy=(1.0, 0.9), xycoords=("axes fraction", "data"), xytext=(-2, 2),
                    textcoords="offset points", ha="right", fontsize=7.5, color="0.35")  # fmt: skip
        ax.annotate(
            f"{target_hours:g} h target",
            xy=(target_hours, 0.02),
            xytext=(4, 0),
            textcoords="offset points",
            fontsize=8,
            color="0.25",
        )
        ax.set_xscale("log")
        right = longest * 1.4
        ax.set_xlim(_XMIN_H, right)
        ax.set_ylim(0, 1.02)
        ticks = [t for t in (0.1, 0.25, 0.5, 1, 2, 4, 8, 24, 72, 168, 720) if t <= right]
        ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_title(title)
        ax.set_xlabel("report → legal team on site (hours, log scale)")
        ax.legend(loc="upper left", title="share within the target", title_fontsize=8)
    axes[0].set_ylabel("reports attended within x hours (%)")
    fig.suptitle("Response time distribution (after the warm-up, all replications pooled)")
    return fig


def _group_table(results: Results, scope: str, indicator: str, vs: Sequence[str]) -> pd.DataFrame:
    s = by_variant(results, scope, [indicator], vs)
    s = s[np.isfinite(s["mean"].to_numpy(dtype=float))]
    if s.empty:
        raise NoData(f"no {scope} has a value of {indicator}")
    return s


@_styled
def response_by_county(
    results: Results,
    *,
    indicator: str = "response_h_mean",
    variants: Iterable[str] | None = None,
) -> Figure:
    """Mean response time per county with its 95% interval over replications, variants
    side by side; the slowest county first, so the eye starts where help is needed."""
    vs = _variants(results, variants)
    s = _group_table(results, "county", indicator, vs)
    order = s.groupby("group")["mean"].mean().sort_values(ascending=False).index.tolist()
    present = [v for v in vs if (s["variant"] == v).any()]
    band = 0.7
    step = band / max(1, len(present))
    colours = _colours(results)
    fig = ReportFigure(
        figsize=(7.0, 1.4 + len(order) * max(0.32, 0.14 * len(present))), layout="constrained"
    )
    ax = fig.subplots()
    for j, v in enumerate(present):
        mine = s[s["variant"] == v].set_index("group").reindex(order)
        y = np.arange(len(order)) - band / 2 + step * (j + 0.5)
        _interval_points(ax, mine, y, colours[v], label=v)
    ax.set_yticks(np.arange(len(order)), order)
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xlim(left=0)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(label(indicator))
    _percent_axis(ax, indicator, "x")
    ax.set_title(f"{label(indicator, False).capitalize()} by county (mean and 95% interval)")
    if len(present) > 1:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), title="variant",
                  title_fontsize=8)  # fmt: skip
    return fig


@_styled
def response_by_unit(
    results: Results,
    *,
    indicator: str = "response_h_mean",
    variants: Iterable[str] | None = None,
) -> Figure:
    """Mean response time per enforcement unit with its 95% interval, one panel per
    variant: each deployment model has its own units, so they cannot share rows."""
    vs = _variants(results, variants)
    s = _group_table(results, "unit", indicator, vs)
    staff = by_variant(results, "unit", ["officers"], vs).set_index(["variant", "group"])["mean"]
    present = [v for v in vs if (s["variant"] == v).any()]
    rows = {v: s[s["variant"] == v].sort_values("mean", ascending=False) for v in present}
    heights = [len(rows[v]) for v in present]
    colours = _colours(results)
    fig = ReportFigure(
        figsize=(7.0, 1.0 + 0.26 * sum(heights) + 0.45 * len(present)), layout="constrained"
    )
    axes = fig.subplots(len(present), 1, sharex=True, height_ratios=heights, squeeze=False)[:, 0]
    for ax, v in zip(axes, present, strict=True):
        mine = rows[v]
        y = np.arange(len(mine))
        _interval_points(ax, mine, y, colours[v])
        names = []
        for unit in mine["group"]:
            n = staff.get((v, unit), np.nan)
            names.append(f"{unit} ({n:.0f} officers)" if np.isfinite(n) else str(unit))
        ax.set_yticks(y, names)
        ax.set_ylim(len(mine) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
        if len(present) > 1:
            ax.set_title(v, loc="left", fontsize=9, fontweight="bold")
    axes[-1].set_xlim(left=0)
    axes[-1].set_xlabel(label(indicator))
    _percent_axis(axes[-1], indicator, "x")
    fig.suptitle(f"{label(indicator, False).capitalize()} by unit (mean and 95% interval)")
    return fig


# ---------------------------------------------------------------------------------- map


def _township_label(row: Any, cjk: str | None) -> str:
    return f"{row.township} {row.name_zh}" if cjk and row.name_zh else str(row.township)


def _draw_map(
    ax: Any,
    geo: Geography,
    values: pd.Series,
    norm: Normalize,
    cmap: Any,
    labels: bool,
    cjk: str | None,
) -> None:
    t = geo.townships
    lat0 = float(t["lat_deg"].mean())
    links = np.stack(
        [
            np.c_[t["lon_deg"], t["lat_deg"]],
            np.c_[t["link_lon_deg"], t["link_lat_deg"]],
        ],
        axis=1,
    )
    ax.add_collection(LineCollection(links, colors="0.55", linewidths=0.7, zorder=1))
    v = t["township"].map(values).to_numpy(dtype=float)
    has = np.isfinite(v)
    size = 110 if len(t) <= 40 else 30
    base_size = 45 if len(t) <= 40 else 70
    ax.scatter(
        t["lon_deg"][~has], t["lat_deg"][~has], s=size, facecolors="white",
        edgecolors="0.45", linewidths=0.8, zorder=2,
    )  # fmt: skip
    ax.scatter(
        t["lon_deg"][has], t["lat_deg"][has], c=v[has], cmap=cmap, norm=norm, s=size,
        edgecolors="0.2", linewidths=0.5, zorder=3,
    )  # fmt: skip
    for model, posts in geo.posts.groupby("model"):
        marker = MODEL_MARKERS.get(str(model), ("o", str(model)))[0]
        ax.scatter(
            posts["lon_deg"], posts["lat_deg"], marker=marker, s=base_size, c="black",
            edgecolors="white", linewidths=0.9, zorder=5,
        )  # fmt: skip
    staffed = geo.posts.groupby(["lon_deg", "lat_deg"])["officers"].sum()
    for (lon, lat), n in staffed.items():
        ax.annotate(
            f"{n}", (lon, lat), xytext=(6, 4), textcoords="offset points", fontsize=7.5,
            fontweight="bold", zorder=6, path_effects=_HALO,
        )  # fmt: skip
    if t["county"].nunique() > 1:
        for county, towns in t.groupby("county"):
            _county_outline(ax, towns)
            ax.annotate(
                str(county), (towns["lon_deg"].median(), towns["lat_deg"].median()),
                ha="center", va="center", fontsize=8.5, fontweight="bold", color="0.1",
                zorder=7, path_effects=[patheffects.withStroke(linewidth=3, foreground="white")],
            )  # fmt: skip
    if labels:
        family = ["DejaVu Sans", cjk] if cjk else None
        for row in t.itertuples():
            ax.annotate(
                _township_label(row, cjk), (row.lon_deg, row.lat_deg), xytext=(5, -9),
                textcoords="offset points", fontsize=6.5, color="0.2", zorder=4,
                path_effects=_HALO, fontfamily=family,
            )  # fmt: skip
    lon = np.r_[t["lon_deg"], geo.posts["lon_deg"]]
    lat = np.r_[t["lat_deg"], geo.posts["lat_deg"]]
    pad_lon = max(0.02, 0.08 * np.ptp(lon))
    pad_lat = max(0.02, 0.08 * np.ptp(lat))
    ax.set_xlim(lon.min() - pad_lon, lon.max() + pad_lon)
    ax.set_ylim(lat.min() - 2.2 * pad_lat, lat.max() + pad_lat)
    ax.set_aspect(1 / math.cos(math.radians(lat0)))
    _scale_bar(ax, lat0)
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    ax.grid(alpha=0.15)


def _county_outline(ax: Any, towns: pd.DataFrame) -> None:
    """A light hull around a county's townships: the city map has no boundaries to draw
    on, and without some outline the eye cannot tell which county a point is in."""
    from scipy.spatial import ConvexHull, QhullError

    pts = towns[["lon_deg", "lat_deg"]].to_numpy(dtype=float)
    if len(pts) < 3:
        return
    try:
        hull = pts[ConvexHull(pts).vertices]
    except QhullError:
        return
    centre = hull.mean(axis=0)
    hull = centre + (hull - centre) * 1.06 + np.sign(hull - centre) * 0.01
    ax.fill(hull[:, 0], hull[:, 1], facecolor="0.5", alpha=0.06, edgecolor="0.5",
            linewidth=0.8, linestyle="--", zorder=0)  # fmt: skip


def _scale_bar(ax: Any, lat0: float) -> None:
    """A distance scale: lat/lon axes alone do not tell a reader how far 0.1° is."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    km_per_deg = 111.32 * math.cos(math.radians(lat0))
    span_km = (x1 - x0) * km_per_deg
    length = max([k for k in (1, 2, 5, 10, 20, 50, 100, 200) if k <= span_km / 4] or [1])
    x = x0 + 0.04 * (x1 - x0)
    y = y0 + 0.035 * (y1 - y0)
    ax.plot([x, x + length / km_per_deg], [y, y], color="black", lw=2.5, zorder=6)
    ax.annotate(
        f"{length} km", (x + length / km_per_deg / 2, y), xytext=(0, 3),
        textcoords="offset points", ha="center", fontsize=7.5,
    )  # fmt: skip


@_styled
def township_map(
    results: Results,
    *,
    indicator: str = "response_h_mean",
    variants: Iterable[str] | None = None,
    folder: str | Path | None = None,
    max_panels: int = 4,
    labels: bool | None = None,
) -> Figure:
    """Townships as points coloured by an indicator, unit bases marked, each township
    linked to the nearest post of the unit responsible for it (its base, or for an
    integrated team the nearest of its posts); numbers are officers posted there.

    ``folder`` is the results folder, whose copies of the scenario and region CSV
    rebuild the unit layout; without it the scenario's source file is used. One panel
    per variant (at most ``max_panels``), all on one colour scale so they compare.
    """
    vs = _variants(results, variants)[:max_panels]
    geos = {v: geography(results, v, folder) for v in vs}
    values = {
        v: by_variant(results, "township", [indicator], [v]).set_index("group")["mean"] for v in vs
    }
    finite = np.concatenate([x.to_numpy(dtype=float) for x in values.values()])
    finite = finite[np.isfinite(finite)]
    if is_share(indicator):
        norm = Normalize(0.0, 1.0)
    elif len(finite):
        norm = Normalize(float(finite.min()), max(float(finite.max()), float(finite.min()) + 1e-9))
    else:
        norm = Normalize(0.0, 1.0)
    cmap = mpl.colormaps["RdYlGn" if indicator in HIGHER_IS_BETTER else "YlOrRd"]
    first = geos[vs[0]].townships
    lat0 = math.radians(float(first["lat_deg"].mean()))
    ratio = np.ptp(first["lat_deg"]) / max(1e-6, np.ptp(first["lon_deg"]) * math.cos(lat0))
    ncols = 1 if len(vs) == 1 else 2
    nrows = math.ceil(len(vs) / ncols)
    width = 6.2 if ncols == 1 else 4.6
    height = min(max(width * ratio, 3.0), 7.5)
    fig = ReportFigure(figsize=(ncols * width + 1.2, nrows * height + 1.3), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    cjk = cjk_font()
    show_labels = (len(first) <= 30) if labels is None else labels
    for ax, v in zip(axes, vs, strict=False):
        _draw_map(ax, geos[v], values[v], norm, cmap, show_labels, cjk)
        if len(vs) > 1:
            ax.set_title(v, fontweight="bold")
    for ax in axes[len(vs) :]:
        ax.set_visible(False)
    bar = fig.colorbar(
        ScalarMappable(norm=norm, cmap=cmap), ax=axes[: len(vs)].tolist(), shrink=0.75
    )
    bar.set_label(label(indicator))
    if is_share(indicator):
        bar.ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    present = {m for g in geos.values() for m in g.posts["model"]}
    models = [m for m in MODEL_MARKERS if m in present] + sorted(present - set(MODEL_MARKERS))
    handles = [
        Line2D([], [], ls="", marker=MODEL_MARKERS.get(m, ("o", m))[0], ms=8, color="black",
               markeredgecolor="white", label=MODEL_MARKERS.get(m, ("o", m))[1])
        for m in models
    ]  # fmt: skip
    handles += [
        Line2D([], [], ls="", marker="$9$", ms=7, color="black", label="officers posted there"),
        Line2D([], [], color="0.55", lw=1, label="township → its unit's post"),
        Line2D([], [], ls="", marker="o", ms=7, markerfacecolor="white",
               markeredgecolor="0.45", label="township without a value"),
    ]  # fmt: skip
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 3))
    fig.suptitle(f"{label(indicator, False).capitalize()} by township")
    return fig


# ------------------------------------------------------------------------------ workload


@_styled
def workload_by_unit(results: Results, *, variants: Iterable[str] | None = None) -> Figure:
    """Where officers' hours go, per unit: the left panel shows how much of the day is
    idle (often most of it), the right zooms in on the working hours that the left
    panel squeezes into a sliver."""
    vs = _variants(results, variants)
    off = results.officers
    if off.empty:
        raise NoData(NO_RECORDS)
    off = off[off["variant"].isin(vs)]
    cols = [c for c, _, _ in ACTIVITIES]
    hours = off.groupby(["variant", "unit"], observed=True, sort=True)[cols].mean()
    present = [v for v in vs if v in hours.index.get_level_values(0)]
    used = [a for a in ACTIVITIES if a[0] == "idle_hours" or hours[a[0]].sum() > 0]
    heights = [len(hours.loc[v]) for v in present]
    fig = ReportFigure(
        figsize=(10.0, 1.5 + 0.27 * sum(heights) + 0.45 * len(present)), layout="constrained"
    )
    axes = fig.subplots(
        len(present), 2, sharex="col", sharey="row", height_ratios=heights,
        width_ratios=[1, 1.3], squeeze=False,
    )  # fmt: skip
    for (left, right), v in zip(axes, present, strict=True):
        h = hours.loc[v]
        y = np.arange(len(h))
        total = h.sum(axis=1).to_numpy()
        start_share = np.zeros(len(h))
        start_hours = np.zeros(len(h))
        for col, name, colour in used:
            x = h[col].to_numpy()
            left.barh(y, x / total, left=start_share, color=colour, height=0.7, label=name)
            start_share += x / total
            if col != "idle_hours":
                right.barh(y, x, left=start_hours, color=colour, height=0.7)
                start_hours += x
        left.set_yticks(y, [str(u) for u in h.index])
        left.set_ylim(len(h) - 0.5, -0.5)
        left.set_xlim(0, 1)
        for ax in (left, right):
            ax.grid(axis="y", visible=False)
        if len(present) > 1:
            left.set_title(v, loc="left", fontsize=9, fontweight="bold")
    axes[-1, 0].xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes[-1, 0].set_xlabel("share of duty and overtime hours (%)")
    axes[-1, 1].set_xlabel("working hours per officer, idle left out (h)")
    handles = [Patch(color=c, label=n) for _, n, c in used]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))
    fig.suptitle("Officer workload by unit (mean per officer over the measured window)")
    return fig


# ------------------------------------------------------------------------------- backlog


@_styled
def backlog(
    results: Results,
    *,
    variants: Iterable[str] | None = None,
    step_hours: float = 1.0,
    smooth_days: float = 7.0,
) -> Figure:
    """Reports waiting for a team, averaged over replications and smoothed over
    ``smooth_days``: sampled hourly, not daily, because with office hours a count taken
    at one clock time would show only the overnight queue."""
    vs = _variants(results, variants)
    if results.incidents.empty:
        raise NoData(NO_RECORDS)
    colours = _colours(results)
    fig = ReportFigure(figsize=(8.0, 3.8), layout="constrained")
    ax = fig.subplots()
    warmup = float(results.scenarios[vs[0]]["warmup_days"])
    ax.axvspan(0, warmup, color="0.92", label="warm-up (not in the indicators)", lw=0)
    drawn = 0
    for v in vs:
        inc = results.incidents[results.incidents["variant"] == v]
        if inc.empty:
            continue
        horizon = float(results.scenarios[v]["horizon_days"]) * 24
        series = backlog_series(inc, horizon, step_hours)
        mean = series.groupby("t_h")["waiting"].mean()
        window = max(1, round(smooth_days * 24 / step_hours))
        smooth = mean.rolling(window, center=True, min_periods=1).mean()
        ax.plot(smooth.index / 24, smooth.to_numpy(), color=colours[v], lw=1.5, label=v)
        drawn += 1
    if not drawn:
        raise NoData("no incidents for the chosen variants")
    ax.set_xlim(0, float(results.scenarios[vs[0]]["horizon_days"]))
    ax.set_ylim(bottom=0)
    ax.set_xlabel("time since the start of the run (days)")
    ax.set_ylabel(f"reports waiting for a team\n({smooth_days:g}-day mean)")
    ax.set_title("Backlog over time (mean over replications)")
    ax.legend(loc="upper right", ncols=min(3, drawn + 1))
    return fig


# ----------------------------------------------------------------------------- discovery


@_styled
def discovery_channels(results: Results, *, variants: Iterable[str] | None = None) -> Figure:
    """Which channel found the incidents that were found, and how many were never found:
    drawn from ``summary`` (means over replications), so sweeps have it too."""
    vs = _variants(results, variants)
    names = [f"share_found_{c}" for c, _, _ in CHANNELS]
    s = by_variant(results, "all", [*names, "share_undiscovered"], vs)
    if s.empty:
        raise NoData("no discovery indicators in the summary")
    wide = s.pivot(index="variant", columns="indicator", values="mean").reindex(vs)
    und = s[s["indicator"] == "share_undiscovered"].set_index("variant").reindex(vs)
    fig = ReportFigure(figsize=(9.0, 1.9 + 0.42 * len(vs)), layout="constrained")
    left, right = fig.subplots(1, 2, sharey=True, width_ratios=[3, 1.2])
    y = np.arange(len(vs))
    start = np.zeros(len(vs))
    for (_, name, colour), ind in zip(CHANNELS, names, strict=True):
        x = wide.get(ind, pd.Series(np.nan, index=vs)).fillna(0.0).to_numpy()
        left.barh(y, x, left=start, color=colour, height=0.65, label=name)
        for k in np.flatnonzero(x >= 0.06):
            left.text(
                start[k] + x[k] / 2, y[k], f"{x[k]:.0%}", ha="center", va="center",
                fontsize=7.5, color="white", fontweight="bold",
            )  # fmt: skip
        start += x
    left.set_yticks(y, vs)
    left.set_ylim(len(vs) - 0.5, -0.5)
    left.set_xlim(0, 1)
    left.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    left.set_xlabel("share of discovered incidents (%)")
    left.set_title("Found first by")
    left.grid(axis="y", visible=False)
    m = und["mean"].to_numpy(dtype=float)
    right.barh(y, m, color="0.6", height=0.65)
    right.errorbar(
        m, y, xerr=_errors(m, und["ci95_low"].to_numpy(float), und["ci95_high"].to_numpy(float)),
        fmt="none", ecolor="black", elinewidth=1, capsize=2.5,
    )  # fmt: skip
    right.set_xlim(
        0, max(0.05, float(np.nanmax(und["ci95_high"].to_numpy(float), initial=0))) * 1.15
    )
    right.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    right.set_xlabel("share of all incidents (%)")
    right.set_title("Never discovered (95% interval)")
    right.grid(axis="y", visible=False)
    fig.legend(loc="outside lower center", ncols=len(CHANNELS))
    fig.suptitle("Discovery channels (means over replications, after the warm-up)")
    return fig


# ------------------------------------------------------------------------------- ranking


@_styled
def monthly_ranking_chart(
    results: Results,
    *,
    variant: str | None = None,
    max_townships: int = 30,
    folder: str | Path | None = None,
) -> Figure:
    """The monthly township ranking (DESIGN.md proposal 2) as a grid of ranks, best
    first, beside each township's monthly pollution-hours; the score is explained in
    ``sim.report.tables.monthly_ranking``. Above ``max_townships`` only the best and
    worst halves are drawn (the report's table has them all). ``folder`` finds the
    region CSV, so townships without incidents are ranked too (see ``township_map``)."""
    variant = _variants(results, [variant] if variant else None)[0]
    if results.incidents.empty:
        raise NoData(NO_RECORDS)
    monthly = monthly_ranking(results, variant, folder)
    if monthly.empty:
        raise NoData("the measured window is shorter than one 30-day month")
    summary = ranking_summary(monthly)
    n_towns = len(summary)
    cut = n_towns > max_townships
    shown = (
        pd.concat([summary.head(max_townships // 2), summary.tail(max_townships // 2)])
        if cut
        else summary
    )
    months = sorted(monthly["month"].unique())
    ranks = monthly.pivot(index="township", columns="month", values="rank").reindex(
        shown["township"]
    )
    many_counties = summary["county"].nunique() > 1
    names = [
        f"{t} ({c})" if many_counties and not t.endswith(f"({c})") else t
        for t, c in zip(shown["township"], shown["county"], strict=True)
    ]
    fig = ReportFigure(
        figsize=(min(3.2 + 0.45 * len(months), 10.0) + 3.4, 1.7 + 0.25 * len(shown)),
        layout="constrained",
    )
    grid, bars = fig.subplots(1, 2, sharey=True, width_ratios=[max(2.0, 0.45 * len(months)), 2.4])
    cmap = mpl.colormaps["RdYlGn_r"]
    norm = Normalize(1, max(2, n_towns))
    grid.imshow(ranks.to_numpy(dtype=float), cmap=cmap, norm=norm, aspect="auto")
    for i, row in enumerate(ranks.to_numpy()):
        for j, r in enumerate(row):
            shade = cmap(norm(r))
            dark = 0.299 * shade[0] + 0.587 * shade[1] + 0.114 * shade[2] < 0.5
            grid.text(
                j, i, f"{int(r)}", ha="center", va="center", fontsize=7,
                color="white" if dark else "black",
            )  # fmt: skip
    grid.set_xticks(range(len(months)), [str(m) for m in months])
    grid.set_yticks(range(len(shown)), names)
    grid.set_xlabel("month after the warm-up (30 days each)")
    grid.set_title("Rank each month (1 = fewest pollution-hours)")
    grid.grid(False)
    grid.spines[:].set_visible(False)
    if cut:
        grid.axhline(max_townships // 2 - 0.5, color="black", lw=1.5)
        bars.axhline(max_townships // 2 - 0.5, color="black", lw=1.5)
    y = np.arange(len(shown))
    bars.barh(y, shown["pollution_hours_per_month"], color="#b2182b", height=0.65)
    bars.set_xlabel("pollution-hours per month, mean (h)")
    bars.set_title("Monthly pollution-hours")
    bars.grid(axis="y", visible=False)
    title = "Monthly township ranking"
    if len(results.variants) > 1:
        title += f" — {variant}"
    if cut:
        title += f" (best and worst {max_townships // 2} of {n_towns} townships)"
    fig.suptitle(title)
    return fig


# --------------------------------------------------------------------------------- sweep


def sweep_parameters(results: Results) -> list[str]:
    """The swept parameters: the sweep table's columns that are neither keys nor indicators."""
    known = set(results.summary["indicator"]) | set(INDICATORS) if len(results.summary) else set()
    return [
        c
        for c in results.sweep.columns
        if c not in ("point", "variant", "replication") and c not in known
    ]


@_styled
def sweep_effects(results: Results, *, indicators: Sequence[str] = SWEEP_INDICATORS) -> Figure:
    """Headline indicators against each swept parameter (mean and 95% interval per point).

    On a grid, the points that share the other parameters' values are joined, so an
    interaction shows as lines that are not parallel; a Latin hypercube gives a cloud.
    """
    sw = results.sweep
    if sw.empty:
        raise NoData("these results are not from a sweep")
    params = sweep_parameters(results)
    indicators = [i for i in indicators if i in sw.columns]
    if not params or not indicators:
        raise NoData("the sweep table has no parameter or indicator columns")
    rows = []
    for point, part in sw.groupby("point", sort=False):
        row: dict[str, Any] = {"point": point, **{p: part[p].iloc[0] for p in params}}
        for ind in indicators:
            row[ind], row[f"{ind}_low"], row[f"{ind}_high"] = t_interval(part[ind].to_numpy())
        rows.append(row)
    points = pd.DataFrame(rows)
    fig = ReportFigure(
        figsize=(3.7 * len(params) + 1.0, 2.5 * len(indicators) + 1.0), layout="constrained"
    )
    axes = fig.subplots(len(indicators), len(params), sharex="col", squeeze=False)
    palette = mpl.colormaps["tab10"].colors
    for j, p in enumerate(params):
        numeric = pd.api.types.is_numeric_dtype(points[p]) and not pd.api.types.is_bool_dtype(
            points[p]
        )
        cats = sorted(points[p].astype(str).unique())
        x_of = (
            points[p].astype(float)
            if numeric
            else points[p].astype(str).map({c: k for k, c in enumerate(cats)})
        )
        others = [q for q in params if q != p]
        groups = list(points.groupby(others, sort=True)) if others else [((), points)]
        joined = len(groups) <= 8 and all(
            len(g) >= 2 and x_of[g.index].is_unique for _, g in groups
        )
        if not joined:
            groups = [((), points)]
        # groups side by side, not on top of each other, where their values coincide
        spread = float(np.ptp(x_of)) or 1.0
        dodge = 0.012 * spread
        for i, ind in enumerate(indicators):
            ax = axes[i, j]
            for k, (key, g) in enumerate(groups):
                shift = (k - (len(groups) - 1) / 2) * dodge
                g = g.assign(_x=x_of[g.index] + shift).sort_values("_x")
                key = key if isinstance(key, tuple) else (key,)
                name = ", ".join(f"{_short(q)} = {val}" for q, val in
                                 zip(others, key, strict=False)) or None  # fmt: skip
                m = g[ind].to_numpy(dtype=float)
                ax.errorbar(
                    g["_x"], m,
                    yerr=_errors(m, g[f"{ind}_low"].to_numpy(float),
                                 g[f"{ind}_high"].to_numpy(float)),
                    fmt="o-" if joined else "o", ms=4, lw=1.2, capsize=2.5,
                    color=palette[k % len(palette)], label=name if joined else None,
                )  # fmt: skip
            _percent_axis(ax, ind, "y")
            if is_share(ind):
                lo, hi = ax.get_ylim()
                ax.set_ylim(max(lo, -0.02), min(hi, 1.02))
            if j == 0:
                ax.set_ylabel(_wrap(label(ind), 26))
        if joined and len(groups) > 1:
            axes[0, j].legend(
                loc="lower center", bbox_to_anchor=(0.5, 1.02), ncols=2, fontsize=7,
                frameon=False,
            )  # fmt: skip
        axes[-1, j].set_xlabel(_wrap(p, 40))
        if not numeric:
            axes[-1, j].set_xticks(range(len(cats)), cats)
        elif pd.api.types.is_integer_dtype(points[p]):
            axes[-1, j].xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.suptitle("Sweep: headline indicators against each parameter (mean, 95% interval)")
    return fig
