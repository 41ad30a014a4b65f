"""Generated unit layouts (sim.world.layouts) on the Jinhua region data."""

from __future__ import annotations

import csv
import math
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from helpers import NBS_COUNTS

from sim.scenario.load import from_mapping
from sim.scenario.region import read_townships
from sim.scenario.schema import Unit
from sim.world.build import build_world
from sim.world.geo import great_circle_km
from sim.world.layouts import generate_units

JINHUA = Path(__file__).resolve().parent.parent / "scenarios" / "jinhua"


def read_csv(name: str) -> list[dict[str, str]]:
    with (JINHUA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


TOWNSHIPS = read_csv("townships.csv")
COUNTIES = {r["county"]: r for r in read_csv("counties.csv")}
POINT = {r["township"]: (float(r["lat_deg"]), float(r["lon_deg"])) for r in TOWNSHIPS}
MODELS = ("stationed", "squadron", "central", "integrated")
ZONE_MAX = {"stationed": 4, "squadron": 3, "central": 3, "integrated": 3}
TEAM = 2


def towns(county: str) -> list[tuple[str, float, float, float]]:
    return [
        (r["township"], float(r["lat_deg"]), float(r["lon_deg"]), float(r["weight"]))
        for r in TOWNSHIPS
        if r["county"] == county
    ]


def bureau(county: str) -> tuple[float, float]:
    return POINT[COUNTIES[county]["seat_township"]]


def zones_needed(county: str, model: str) -> int:
    return math.ceil(NBS_COUNTS[county] / ZONE_MAX[model])


@cache
def layout(county: str, model: str, per_zone: int) -> dict[str, dict]:
    officers = per_zone * zones_needed(county, model)
    return generate_units(county, towns(county), bureau(county), model, officers)


def km(a: str, b: str) -> float:
    return float(great_circle_km(*POINT[a], *POINT[b]))


def medoid(zone: list[str]) -> str:
    return min(zone, key=lambda m: (sum(km(m, t) for t in zone), zone.index(m)))


# --- the region data ---------------------------------------------------------


def test_township_file_matches_nbs_2019() -> None:
    assert len(TOWNSHIPS) == 147
    assert list(TOWNSHIPS[0]) == [
        "township",
        "name_zh",
        "county",
        "county_zh",
        "code",
        "type",
        "lat_deg",
        "lon_deg",
        "weight",
        "dev_zone",
        "note",
    ]
    names = [r["township"] for r in TOWNSHIPS]
    assert len(set(names)) == len(names)
    assert all(n.isascii() for n in names)
    assert Counter(r["county"] for r in TOWNSHIPS) == NBS_COUNTS
    assert len({r["code"] for r in TOWNSHIPS}) == 147
    for r in TOWNSHIPS:
        assert 28.5 <= float(r["lat_deg"]) <= 29.8, r["township"]
        assert 119.2 <= float(r["lon_deg"]) <= 120.8, r["township"]
        assert r["code"].startswith(COUNTIES[r["county"]]["code"])
        assert r["type"] in ("subdistrict", "town", "township")
    dev = [r for r in TOWNSHIPS if r["dev_zone"] == "true"]
    assert len(dev) == 8 and {r["county"] for r in dev} == {"Wucheng"}
    assert {r["dev_zone"] for r in TOWNSHIPS} == {"true", "false"}


def test_county_file_names_a_seat_in_each_county() -> None:
    assert set(COUNTIES) == set(NBS_COUNTS)
    county_of = {r["township"]: r["county"] for r in TOWNSHIPS}
    for county, row in COUNTIES.items():
        assert county_of[row["seat_township"]] == county
        assert float(row["area_km2"]) > 0
    assert sum(float(r["area_km2"]) for r in COUNTIES.values()) == pytest.approx(10942, rel=0.01)


def test_region_reader_accepts_the_file() -> None:
    rows = read_townships(JINHUA / "townships.csv")
    assert len(rows) == 147 and rows[0].name_zh == "城东街道"


# --- generated layouts -------------------------------------------------------

CASES = [(c, m, p) for c in NBS_COUNTS for m in MODELS for p in (2, 3)]


@pytest.mark.parametrize(("county", "model", "per_zone"), CASES)
def test_layout_is_a_legal_deployment(county: str, model: str, per_zone: int) -> None:
    units = layout(county, model, per_zone)
    officers = per_zone * zones_needed(county, model)
    names = [t[0] for t in towns(county)]

    for name, unit in units.items():
        assert name.startswith(f"{county.lower()}-{model}-") and name.isascii()
        assert name == name.lower()
        Unit.model_validate(unit)
        assert unit["model"] == model and unit["county"] == county
        assert unit["officers"] >= TEAM
    covered = Counter(t for u in units.values() for t in u["townships"])
    assert covered == Counter(names)  # every township exactly once
    assert sum(u["officers"] for u in units.values()) == officers

    if model in ("stationed", "squadron"):
        assert len(units) == zones_needed(county, model)
        for unit in units.values():
            assert 2 <= len(unit["townships"]) <= ZONE_MAX[model]
            if model == "stationed":
                assert unit["base_township"] == medoid(unit["townships"])
            else:
                assert unit["base_township"] is None
        shares = [u["officers"] for u in units.values()]
        assert max(shares) - min(shares) <= 1
    else:
        assert len(units) == 1
        (unit,) = units.values()
        assert unit["townships"] == names and unit["base_township"] is None
    if model == "integrated":
        posts = unit["posts"]
        assert len(posts) == zones_needed(county, model)
        assert set(posts) <= set(names)
        assert sum(posts.values()) == officers
        assert min(posts.values()) >= TEAM
        assert sum(n % TEAM for n in posts.values()) == officers % TEAM
    else:
        assert all(u["posts"] is None for u in units.values())


@pytest.mark.parametrize(("county", "model"), [(c, m) for c in NBS_COUNTS for m in MODELS])
def test_generation_is_deterministic(county: str, model: str) -> None:
    officers = 2 * zones_needed(county, model)
    again = generate_units(county, towns(county), bureau(county), model, officers)
    assert again == layout(county, model, 2)
    assert list(again) == list(layout(county, model, 2))


@pytest.mark.parametrize("county", list(NBS_COUNTS))
@pytest.mark.parametrize("model", ["stationed", "squadron"])
def test_zones_are_compact(county: str, model: str) -> None:
    """Most townships are no farther from their own zone's centre than from any
    other zone's: the zones are not interleaved."""
    zones = [u["townships"] for u in layout(county, model, 2).values()]
    centres = [medoid(z) for z in zones]
    nearest_own = [
        km(t, centres[i]) <= min(km(t, c) for j, c in enumerate(centres) if j != i)
        for i, zone in enumerate(zones)
        for t in zone
    ]
    assert sum(nearest_own) >= 0.8 * len(nearest_own)


def test_integrated_posts_sit_at_the_squadron_zone_centres() -> None:
    squadrons = layout("Yiwu", "squadron", 2).values()
    (team,) = layout("Yiwu", "integrated", 2).values()
    assert set(team["posts"]) == {medoid(u["townships"]) for u in squadrons}


def test_spare_officers_go_to_the_busiest_zones() -> None:
    rows = [(n, la, lo, 5.0 if n == "Suxi" else 1.0) for n, la, lo, _ in towns("Yiwu")]
    units = generate_units("Yiwu", rows, bureau("Yiwu"), "squadron", 2 * 5 + 1)
    (busiest,) = [u for u in units.values() if u["officers"] == 3]
    assert "Suxi" in busiest["townships"]


def test_too_few_officers_merge_zones() -> None:
    """The article's Wucheng: 4 officers cannot staff 9 squadrons of two."""
    units = generate_units("Wucheng", towns("Wucheng"), bureau("Wucheng"), "squadron", 4)
    assert len(units) == 2
    assert all(u["officers"] == 2 for u in units.values())
    assert sum(len(u["townships"]) for u in units.values()) == 27
    assert max(len(u["townships"]) for u in units.values()) > 3
    (team,) = generate_units(
        "Wucheng", towns("Wucheng"), bureau("Wucheng"), "integrated", 5
    ).values()
    assert sorted(team["posts"].values()) == [2, 3]


def test_small_counties_and_bad_requests() -> None:
    one = [("Solo", 29.0, 120.0, 1.0)]
    (unit,) = generate_units("Tiny Land", one, (29.0, 120.0), "stationed", 2).values()
    assert unit["townships"] == ["Solo"] and unit["base_township"] == "Solo"
    assert list(generate_units("Tiny Land", one, (29.0, 120.0), "squadron", 2)) == [
        "tiny-land-squadron-1"
    ]
    with pytest.raises(ValueError, match="cannot form one team of 2"):
        generate_units("Jindong", towns("Jindong"), bureau("Jindong"), "central", 1)
    with pytest.raises(ValueError, match="unknown deployment model"):
        generate_units("Jindong", towns("Jindong"), bureau("Jindong"), "roving", 4)
    with pytest.raises(ValueError, match="zone_min <= zone_max"):
        generate_units("Jindong", towns("Jindong"), bureau("Jindong"), "squadron", 8, zone_min=4)


def test_generated_units_build_a_world() -> None:
    """The region file and generated layouts go through the scenario loader."""
    models = {"Wucheng": "central", "Lanxi": "stationed", "Yiwu": "squadron"}
    counties = {
        c: {
            "bureau_township": row["seat_township"],
            "deployment": {"model": models.get(c, "integrated"), "officers": 10},
        }
        for c, row in COUNTIES.items()
    }
    loaded = from_mapping(
        {
            "region": {"townships_csv": "townships.csv"},
            "counties": counties,
            "incident_types": {"wastewater": {"rate_per_day": 0.01}},
        },
        base_dir=JINHUA,
    )
    world = build_world(loaded)
    assert world.n_townships == 147
    assert sum(u.officers for u in world.units) == 90
