"""Where townships, unit bases and officers' posts are, for maps and the scenario summary.

The unit layout is rebuilt from the saved scenario with the model's own
``build_world``, so the map shows the generated layouts (a county given as a head
count) exactly as they ran, not a second guess at them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ScenarioError
from ..experiment.results import Results
from ..scenario import LoadedScenario, load_scenario
from ..scenario.load import from_mapping
from ..world import World, build_world
from .names import unit_title_column


class NoData(ValueError):
    """The results hold nothing a figure or table can show (the message says why)."""


@dataclass(frozen=True)
class Geography:
    world: World
    townships: pd.DataFrame  # township, name_zh, county, lat_deg, lon_deg, weight, unit,
    #                          link_lat_deg, link_lon_deg (the unit post it is linked to)
    posts: pd.DataFrame  # unit, model, county, lat_deg, lon_deg, officers, label
    units: pd.DataFrame  # unit, model, county, officers, townships, base, title (names.py)


def scenario_file(folder: str | Path, variant: str) -> Path:
    """The resolved scenario a results folder keeps for a variant."""
    folder = Path(folder)
    single = folder / "scenario.yaml"
    return single if single.exists() else folder / "variants" / f"{variant}.yaml"


def saved_scenario(results: Results, variant: str, folder: str | Path | None) -> LoadedScenario:
    """The folder's own copy when we know the folder (it re-runs on its own); otherwise
    the scenario as resolved, with its region CSV found beside the file it came from."""
    try:
        if folder is not None:
            return load_scenario(scenario_file(folder, variant))
        source = (results.manifest.get("sources") or {}).get(variant)
        if source is None:
            raise NoData(f"no folder given and variant {variant!r} has no source file")
        scenario, base = results.scenarios[variant], Path(source).parent
        region = (results.manifest.get("regions") or {}).get(variant)
        if region is not None:  # the folder's copy has a name of its own: use the original
            base, name = Path(region).parent, Path(region).name
            scenario = {**scenario, "region": {**scenario["region"], "townships_csv": name}}
        return from_mapping(scenario, base_dir=base)
    except (ScenarioError, OSError) as err:
        raise NoData(f"cannot rebuild the region of variant {variant!r}: {err}") from None


def geography(results: Results, variant: str, folder: str | Path | None = None) -> Geography:
    loaded = saved_scenario(results, variant, folder)
    return _geography(loaded)


def _geography(loaded: LoadedScenario) -> Geography:
    world = build_world(loaded)
    n = world.n_townships
    point_lat = dict(enumerate(world.township_lat))
    point_lon = dict(enumerate(world.township_lon))
    for u in world.units:
        point_lat.setdefault(u.base_point, u.base.lat_deg)
        point_lon.setdefault(u.base_point, u.base.lon_deg)
    link = np.zeros(n, dtype=int)
    for u in world.units:
        homes = sorted(set(u.officer_homes)) or [u.base_point]
        for t in u.townships:
            link[t] = min(homes, key=lambda p, t=t: world.road_km[t, p])
    zh = {row.township: row.name_zh for row in loaded.townships}
    towns = pd.DataFrame(
        {
            "township": world.township_names,
            "name_zh": [zh.get(t, "") for t in world.township_names],
            "county": [world.county_names[c] for c in world.township_county],
            "lat_deg": world.township_lat,
            "lon_deg": world.township_lon,
            "weight": world.township_weight,
            "unit": [world.units[u].name for u in world.unit_of_township],
            "link_lat_deg": [point_lat[p] for p in link],
            "link_lon_deg": [point_lon[p] for p in link],
        }
    )
    posts = []
    for u in world.units:
        for p in sorted(set(u.officer_homes)):
            posts.append(
                {
                    "unit": u.name,
                    "model": u.model,
                    "county": u.county,
                    "lat_deg": point_lat[p],
                    "lon_deg": point_lon[p],
                    "officers": u.officer_homes.count(p),
                    "label": world.township_names[p] if p < n else f"{u.county} bureau",
                }
            )
    units = pd.DataFrame(
        [
            {
                "unit": u.name,
                "model": u.model,
                "county": u.county,
                "officers": u.officers,
                "townships": len(u.townships),
                "base": u.base.township or f"{u.county} bureau",
            }
            for u in world.units
        ]
    )
    posts_frame = pd.DataFrame(posts)
    units["title"] = unit_title_column(units, posts_frame)
    return Geography(world=world, townships=towns, posts=posts_frame, units=units)
