"""The Jinhua scenarios (scenarios/jinhua/): region data, the 2019 baseline's layout as
the article gives it, and the baseline's calibration to the published case volumes.

Choices tested here (stated in scenarios/jinhua/baseline.yaml and docs/calibration.md):
Wucheng = the article's central pool of 4 for its 18 townships plus a stationed unit
of 4 for the development zone's 8 units and Luodian; Lanxi's development-zone office
sits in Shanghua; the city total is 100.
"""

import csv
import math
from pathlib import Path

import pytest
import yaml
from helpers import NBS_COUNTS

import sim
from sim.experiment.plans import compare_variants, is_compare_file
from sim.world import build_world

JINHUA = Path(__file__).resolve().parent.parent / "scenarios" / "jinhua"
BASELINE = JINHUA / "baseline.yaml"

CASES_BAND = (1400, 1800)  # Jinhua's violation cases a year, 2015-2018 (1,479 in 2015)
DONGYANG_CASES = 450  # Dongyang 2019
DONGYANG_BAND = (0.8 * DONGYANG_CASES, 1.2 * DONGYANG_CASES)


def _rows() -> list[dict[str, str]]:
    with open(JINHUA / "townships.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _scenarios() -> list[tuple[str, object]]:
    """Every scenario in scenarios/jinhua/, compare files expanded into their variants;
    files of uncertain inputs (sensitivity studies, calibrations) are checked by their own
    tests (tests/test_sensitivity.py, tests/test_calibration.py)."""
    out = []
    for path in sorted(JINHUA.glob("*.yaml")):
        if _names_inputs(path):
            continue
        if is_compare_file(path):
            _, variants = compare_variants(path, [])
            out += [(f"{path.name}:{v.name}", v.loaded) for v in variants]
        else:
            out.append((path.name, sim.load_scenario(path)))
    return out


def _names_inputs(path: Path) -> bool:
    """Studies and calibrations name inputs; frontier files name levers (their own tests:
    tests/test_frontier.py)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return "inputs" in raw or "levers" in raw


SCENARIOS = _scenarios()


@pytest.fixture(scope="module")
def baseline_world():
    return build_world(sim.load_scenario(BASELINE))


def _units(world, county: str):
    return [u for u in world.units if u.county == county]


def test_region_counts_per_county():
    rows = _rows()
    assert len(rows) == 147
    assert len({r["township"] for r in rows}) == 147
    counts = {c: sum(r["county"] == c for r in rows) for c in NBS_COUNTS}
    assert counts == NBS_COUNTS
    assert sum(r["dev_zone"] == "true" for r in rows) == 8
    assert all(float(r["weight"]) > 0 for r in rows)


def test_every_scenario_file_is_covered():
    files = {p.name for p in JINHUA.glob("*.yaml") if not _names_inputs(p)}
    assert {name.split(":")[0] for name, _ in SCENARIOS} == files
    assert "baseline.yaml" in {name for name, _ in SCENARIOS}


@pytest.mark.parametrize("name,loaded", SCENARIOS, ids=[n for n, _ in SCENARIOS])
def test_every_township_in_one_county_and_one_unit(name, loaded):
    world = build_world(loaded)
    assert len(world.township_names) == 147
    counties = [world.county_names[i] for i in world.township_county]
    assert {c: counties.count(c) for c in NBS_COUNTS} == NBS_COUNTS
    covered = [t for u in world.units for t in u.townships]
    assert sorted(covered) == list(range(147))  # each township in exactly one unit
    for unit in world.units:  # a unit covers townships of its own county only
        assert {counties[t] for t in unit.townships} == {unit.county}
    assert all(len(u.officer_homes) >= 2 for u in world.units)


def test_wucheng_central_pool_of_4_plus_dev_zone_unit(baseline_world):
    units = {u.name: u for u in _units(baseline_world, "Wucheng")}
    assert set(units) == {"wucheng-central", "wucheng-devzone"}
    central = units["wucheng-central"]
    assert central.model == "central"
    assert len(central.officer_homes) == 4
    assert len(central.townships) == 18
    names = baseline_world.township_names
    rows = {r["township"]: r for r in _rows()}
    dev = {names[t] for t in units["wucheng-devzone"].townships}
    assert dev == {t for t, r in rows.items() if r["dev_zone"] == "true"} | {"Luodian"}
    assert len(units["wucheng-devzone"].officer_homes) == 4


def test_lanxi_five_offices_at_the_named_townships(baseline_world):
    units = _units(baseline_world, "Lanxi")
    assert len(units) == 5
    assert all(u.model == "stationed" for u in units)
    names = baseline_world.township_names
    bases = {names[u.base_point] for u in units}
    assert bases == {"Yunshan", "Youbu", "Nyubu", "Meijiang", "Shanghua"}
    assert all(2 <= len(u.townships) <= 4 for u in units)
    for u in units:
        assert names[u.base_point] in {names[t] for t in u.townships}


def test_yiwu_five_squadrons_of_two_or_three(baseline_world):
    units = _units(baseline_world, "Yiwu")
    assert len(units) == 5 == math.ceil(14 / 3)
    assert all(u.model == "squadron" for u in units)
    assert all(2 <= len(u.townships) <= 3 for u in units)


def test_county_models_and_city_total(baseline_world):
    models = {c: {u.model for u in _units(baseline_world, c)} for c in NBS_COUNTS}
    for c in ("Dongyang", "Yongkang", "Lanxi"):
        assert models[c] == {"stationed"}
    for c in ("Yiwu", "Pujiang", "Wuyi", "Panan", "Jindong"):
        assert models[c] == {"squadron"}
    total = sum(len(u.officer_homes) for u in baseline_world.units)
    assert 90 <= total <= 110
    assert total == 100


def test_same_staff_in_every_deployment_model():
    worlds = {n: build_world(s) for n, s in SCENARIOS if n.startswith("deployment_models")}
    assert len(worlds) == 6  # today's, four models, and today's with a weekend team
    for name, world in worlds.items():
        per_county = {
            c: sum(len(u.officer_homes) for u in world.units if u.county == c) for c in NBS_COUNTS
        }
        assert sum(per_county.values()) == 100, name
        assert per_county["Wucheng"] == 8 and per_county["Lanxi"] == 10, name


def test_baseline_reproduces_published_case_volumes(tmp_path):
    """Simulated annual cases (incidents a legal team attended, started after the warm-up:
    one measured year) inside the calibration band, city-wide and for Dongyang."""
    res = sim.run(BASELINE, replications=2, out=tmp_path / "jb", jobs=1)
    inc = res.incidents
    cases = inc[inc.team_formed_h.notna() & ~inc.in_warmup]
    measured_years = (BASELINE_HORIZON_DAYS - BASELINE_WARMUP_DAYS) / 365
    city = cases.groupby("replication").size().mean() / measured_years
    dongyang = cases[cases.county == "Dongyang"].groupby("replication").size().mean()
    dongyang /= measured_years
    assert CASES_BAND[0] <= city <= CASES_BAND[1], city
    assert DONGYANG_BAND[0] <= dongyang <= DONGYANG_BAND[1], dongyang


_base = sim.load_scenario(BASELINE).scenario
BASELINE_HORIZON_DAYS = _base.horizon_days
BASELINE_WARMUP_DAYS = _base.warmup_days
