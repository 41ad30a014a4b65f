"""Before/after map of a placement: the generated layout beside the chosen one.

Why its own module: ``township_map`` draws from a results folder; a placement has no
folder of runs, only two layouts of one county and each township's mean response on the
same runs. This reuses the township map's drawing (points coloured by mean response,
bases marked, each township linked to its nearest post) on those two layouts.
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from ..geography import Geography, _geography
from .common import ReportFigure, cjk_font, styled
from .maps import _draw_map


def _county_only(geo: Geography, county: str) -> Geography:
    return Geography(
        world=geo.world,
        townships=geo.townships[geo.townships["county"] == county].reset_index(drop=True),
        posts=geo.posts[geo.posts["county"] == county].reset_index(drop=True),
        units=geo.units[geo.units["county"] == county].reset_index(drop=True),
    )


@styled
def placement_map(result: Any) -> Figure:
    """Two panels, generated and chosen layout of ``result`` (a ``Placement``), townships
    coloured by mean response (h) on one scale; numbers are officers posted there."""
    panels = ("generated", "chosen")
    geos = {k: _county_only(_geography(result.scenarios[k]), result.county) for k in panels}
    values = {k: result.township_h[k] for k in panels}
    finite = np.concatenate([v.to_numpy(dtype=float) for v in values.values()])
    finite = finite[np.isfinite(finite)]
    low = float(finite.min()) if len(finite) else 0.0
    norm = Normalize(low, max(float(finite.max()) if len(finite) else 1.0, low + 1e-9))
    cmap = mpl.colormaps["YlOrRd"]
    towns = geos["chosen"].townships
    lat0 = math.radians(float(towns["lat_deg"].mean()))
    ratio = np.ptp(towns["lat_deg"]) / max(1e-6, np.ptp(towns["lon_deg"]) * math.cos(lat0))
    height = min(max(4.6 * ratio, 3.0), 7.5)
    fig = ReportFigure(figsize=(2 * 4.6 + 1.2, height + 1.3), layout="constrained")
    axes = fig.subplots(1, 2, squeeze=False).ravel()
    cjk = cjk_font()
    titles = {"generated": f"generated: {result.value_start:.2f}",
              "chosen": f"chosen: {result.value_chosen:.2f}"}  # fmt: skip
    for ax, k in zip(axes, panels, strict=True):
        _draw_map(ax, geos[k], values[k], norm, cmap, len(towns) <= 30, cjk)
        ax.set_title(titles[k], fontweight="bold")
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=axes.tolist(), shrink=0.75)
    bar.set_label("mean response time (h)")
    fig.suptitle(f"{result.county}: {result.officers} officers, {result.model}; "
                 f"first target {result.target}")  # fmt: skip
    return fig
