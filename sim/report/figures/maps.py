"""Townships on a map, coloured by an indicator, with the units' posts and links."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
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
from matplotlib.ticker import PercentFormatter

from ...experiment.results import Results
from ...stats.catalogue import higher_is_better, is_share, label
from ..geography import Geography, geography
from ..tables import by_variant
from .common import (
    HALO,
    MAX_FIGURE_INCHES,
    ReportFigure,
    bounded,
    chosen_variants,
    cjk_font,
    styled,
)
from .keys import MODEL_MARKERS

# the figures of this subject, exported by ``sim.report.figures``
__all__ = ["township_map", "map_groups", "MAX_MAP_PANELS"]

MAX_MAP_PANELS = 6  # panels in one map figure; more variants make more figures


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
            fontweight="bold", zorder=6, path_effects=HALO,
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
                path_effects=HALO, fontfamily=family,
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


def map_groups(variants: Sequence[str], per_figure: int = MAX_MAP_PANELS) -> list[list[str]]:
    """``variants`` cut into groups of at most ``per_figure``, as even as possible (7 -> 4 + 3,
    not 6 + 1), in order: one map figure per group, so none is ever left out."""
    vs = list(variants)
    if not vs:
        return []
    n = math.ceil(len(vs) / max(1, per_figure))
    size, extra = divmod(len(vs), n)
    ends = np.cumsum([size + (k < extra) for k in range(n)])
    return [vs[end - size - (k < extra) : end] for k, end in enumerate(ends)]


@styled
def township_map(
    results: Results,
    *,
    indicator: str = "response_h_mean",
    variants: Iterable[str] | None = None,
    folder: str | Path | None = None,
    scale_variants: Iterable[str] | None = None,
    labels: bool | None = None,
    geographies: Mapping[str, Geography] | None = None,
) -> Figure:
    """Townships as points coloured by an indicator, unit bases marked, each township
    linked to the nearest post of the unit responsible for it (its base, or for an
    integrated team the nearest of its posts); numbers are officers posted there.

    ``folder`` is the results folder, whose copies of the scenario and region CSV
    rebuild the unit layout; without it the scenario's source file is used. One panel
    per variant, every one asked for (``map_groups`` cuts a long list into figures of at
    most ``MAX_MAP_PANELS``), all on one colour scale so they compare; ``scale_variants``
    (default: those drawn) sets that scale, so several figures can share it too.
    ``geographies`` (variant -> ``geography``) saves rebuilding layouts the caller has.
    """
    vs = chosen_variants(results, variants)
    scaled = chosen_variants(results, scale_variants) if scale_variants is not None else vs
    known = geographies or {}
    geos = {v: known[v] if v in known else geography(results, v, folder) for v in vs}
    values = {
        v: by_variant(results, "township", [indicator], [v]).set_index("group")["mean"]
        for v in dict.fromkeys([*vs, *scaled])
    }
    finite = np.concatenate([values[v].to_numpy(dtype=float) for v in scaled])
    finite = finite[np.isfinite(finite)]
    if is_share(indicator):
        norm = Normalize(0.0, 1.0)
    elif len(finite):
        norm = Normalize(float(finite.min()), max(float(finite.max()), float(finite.min()) + 1e-9))
    else:
        norm = Normalize(0.0, 1.0)
    cmap = mpl.colormaps["RdYlGn" if higher_is_better(indicator) else "YlOrRd"]
    first = geos[vs[0]].townships
    lat0 = math.radians(float(first["lat_deg"].mean()))
    ratio = np.ptp(first["lat_deg"]) / max(1e-6, np.ptp(first["lon_deg"]) * math.cos(lat0))
    ncols = 1 if len(vs) == 1 else 2 if len(vs) <= 4 else 3
    nrows = math.ceil(len(vs) / ncols)
    width = {1: 6.2, 2: 4.6, 3: 3.4}[ncols]
    # at most about MAX_FIGURE_INCHES tall: a tall region gets narrower panels
    height = min(max(width * ratio, 3.0), 7.5, (MAX_FIGURE_INCHES - 1.4) / nrows)
    fig = ReportFigure(
        figsize=(ncols * width + 1.2, bounded(nrows * height + 1.3)), layout="constrained"
    )
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
