"""Property-based tests: random valid scenarios never crash the model, always pass the
audit, and give the same tables twice for a seed."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.experiment.experiment import run_tables
from sim.scenario.load import from_mapping
from sim.world import build_world

SEV = ["minor", "moderate", "major"]


@st.composite
def scenarios(draw):
    n = draw(st.integers(2, 6))
    towns = [
        (f"T{i}", draw(st.floats(29.0, 29.5)), draw(st.floats(119.5, 120.0)),
         draw(st.sampled_from([0.0, 0.5, 1.0, 2.0])))
        for i in range(n)
    ]  # fmt: skip
    split = draw(st.integers(1, n - 1)) if n > 2 and draw(st.booleans()) else n
    county = {t[0]: ("A" if i < split else "B") for i, t in enumerate(towns)}
    policy = draw(st.sampled_from(["wait", "go_alone", "borrow"]))
    team = draw(st.integers(1, 2))
    types = {}
    for k in range(draw(st.integers(1, 3))):
        types[f"type{k}"] = {
            "rate_per_day": draw(st.floats(0.0, 0.4)),
            "severity_mix": dict(zip(SEV, draw(st.sampled_from(
                [[1, 0, 0], [0.5, 0.3, 0.2], [0, 0, 1]])), strict=True)),
            "duration_if_undiscovered_hours": draw(st.sampled_from(
                [None, {"dist": "lognormal", "mean": 24, "cv": 1.0}])),
            "onsite_hours": {"dist": "exponential", "mean": draw(st.floats(0.2, 4))},
            "team_size": draw(st.sampled_from([None, 1])),
        }  # fmt: skip
    need = team if policy == "wait" else 1
    units = {}
    for c in sorted(set(county.values())):
        mine = [t for t in county if county[t] == c]
        model = draw(st.sampled_from(["stationed", "squadron", "central", "integrated"]))
        officers = draw(st.integers(need, 5))
        if model in ("stationed", "squadron") and len(mine) > 1 and draw(st.booleans()):
            cut = draw(st.integers(1, len(mine) - 1))
            zones = [mine[:cut], mine[cut:]]
        else:
            zones = [mine]
        for z, zone in enumerate(zones):
            unit = {"model": model, "officers": officers, "townships": zone}
            if model == "stationed":
                unit["base_township"] = draw(st.sampled_from(zone))
            if model == "integrated":
                post = draw(st.sampled_from(zone))
                unit["posts"] = {post: officers}
            units[f"{c}{z}"] = unit
    duty = draw(st.sampled_from([{"always": True}, {}, {"on_call": {"severities": []}}]))
    raw = {
        "name": "prop",
        "seed": draw(st.integers(0, 2**31)),
        "horizon_days": draw(st.floats(5, 40)),
        "warmup_days": draw(st.floats(0, 3)),
        "region": {"townships_csv": "region.csv"},
        "counties": {c: {"bureau_township": next(t for t in county if county[t] == c)}
                     for c in set(county.values())},
        "incident_types": types,
        "discovery": {"delay_hours": {"dist": "exponential",
                                      "mean": draw(st.floats(0.1, 48))}},
        "duty": duty,
        "travel": {"speed_kmh": draw(st.floats(10, 60)), "min_trip_km": draw(st.floats(0, 5))},
        "enforcement": {
            "team_size": team,
            "shortfall_policy": policy,
            "dispatch_order": draw(st.sampled_from(["fifo", "severity"])),
            "chaining": draw(st.booleans()),
            "diverted_share": draw(st.sampled_from([0.0, 0.2])),
            "mutual_aid": {"after_hours": draw(st.floats(0, 4))},
        },
        "inspections": {"rate_per_day": draw(st.sampled_from([0.0, 0.05]))},
        "units": units,
    }  # fmt: skip
    csv = "township,county,lat_deg,lon_deg,weight\n" + "".join(
        f"{t},{county[t]},{lat},{lon},{w}\n" for t, lat, lon, w in towns
    )
    return raw, csv


# 60 generated scenarios in the default suite; test_slow_properties.py tries 1,000 (--runslow)
EXAMPLES = 60


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_random_scenarios_run_pass_the_audit_and_repeat(case):
    raw, csv = case
    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "region.csv").write_text(csv)
        world = build_world(from_mapping(raw, base_dir=Path(d)))
    first = run_tables(world, raw["seed"], 0)  # audits the records; raises if broken
    again = run_tables(world, raw["seed"], 0)
    for name in ("incidents", "officers", "assignments", "inspections"):
        pd.testing.assert_frame_equal(first[name], again[name])
