"""The discovery channels: each lever moves its indicator the right way on paired random
numbers, and patrols match their closed forms."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from helpers import example_raw, simulate_raw

SEEDS = range(4)


def paired(raw_a, raw_b, measure):
    """Per-seed differences b - a of a measure; the same seeds see the same incidents."""
    d = np.array([measure(simulate_raw(raw_b, seed=s)) - measure(simulate_raw(raw_a, seed=s))
                  for s in SEEDS])  # fmt: skip
    return d.mean(), d.std(ddof=1) / np.sqrt(len(d))


def delay(rec):
    inc = rec.incidents[rec.incidents["discovered_h"].notna()]
    return (inc["discovered_h"] - inc["start_h"]).mean()


def share(channel, kind=None):
    def measure(rec):
        inc = rec.incidents[rec.incidents["discovered_h"].notna()]
        if kind is not None:
            inc = inc[inc["type"] == kind]
        return (inc["channel"] == channel).mean()

    return measure


def variant(**changes):
    raw = example_raw()
    for path, value in changes.items():
        node = raw
        *head, last = path.split("__")
        for key in head:
            node = node.setdefault(key, {})
        node[last] = value
    return raw


def test_more_source_inspection_shortens_discovery():
    base = example_raw()
    more = variant(discovery__patrol__source_inspection_share=0.9)
    mean, se = paired(base, more, delay)
    assert mean < -4 * se and mean < 0


def test_full_sensor_coverage_finds_most_wastewater():
    rec = simulate_raw(variant(discovery__sensors__coverage_share=1.0), seed=1)
    assert share("sensor", "wastewater")(rec) > 0.75
    assert share("sensor", "solid_waste")(rec) == 0  # sensors cannot see dumped waste
    mean, se = paired(example_raw(), variant(discovery__sensors__coverage_share=1.0), delay)
    assert mean < -4 * se


def test_a_reward_scheme_brings_more_citizen_reports():
    mean, se = paired(
        example_raw(), variant(discovery__citizens__reward_multiplier=3.0), share("citizen")
    )
    assert mean > 4 * se and mean > 0


def test_faster_hand_over_brings_teams_sooner():
    fast = variant(discovery__handover_hours={"patrol": {"dist": "fixed", "value": 1.0}})

    def start_to_arrival(rec):
        inc = rec.incidents[rec.incidents["arrived_h"].notna()]
        return (inc["arrived_h"] - inc["start_h"]).mean()

    mean, se = paired(example_raw(), fast, start_to_arrival)
    assert mean < -4 * se and mean < 0


def patrol_only(pattern: str, p: float) -> dict:
    """One grid, one full-time officer inspecting sources around the clock: 2 visits an hour
    over 10 sites, so each site is visited every T = 5 h (or at rate 0.2/h at random)."""
    raw = example_raw()
    raw["discovery"] = {
        "model": "channels",
        "patrol": {
            "grids_per_township": 1, "officers_per_grid": 1, "environmental_share": 1.0,
            "source_inspection_share": 1.0, "sites_per_grid": 10, "visit_hours": 0.5,
            "detection_probability": p, "pattern": pattern, "settle_share": {},
            "duty": {"always": True},
        },
        "citizens": {"report_rate_per_day": 0},
        "sensors": {"coverage_share": 0},
        "upper_inspections": {"interval_days": None},
    }  # fmt: skip
    raw["counties"]["Pujiang"].pop("patrol")  # no township stations: one grid officer only
    for spec in raw["incident_types"].values():
        spec["duration_if_undiscovered_hours"] = None  # persistent
        spec["rate_per_day"] *= 4
    return raw


@pytest.mark.parametrize(
    ("pattern", "p", "exact"),
    [
        # periodic: first visit after U(0, T), then G - 1 more, G ~ Geometric(p):
        # E = T/2 + T (1 - p) / p = 2.5 + 5 * 0.6 / 0.4 = 10 h
        ("periodic", 0.4, 10.0),
        # random visits at 0.2/h, each finding it with p: exponential, mean 1/(0.2 p) = 12.5 h
        ("random", 0.4, 12.5),
    ],
)
def test_patrol_discovery_delay_matches_its_closed_form(pattern, p, exact):
    delays = []
    for seed in range(3):
        inc = simulate_raw(patrol_only(pattern, p), seed=seed).incidents
        found = inc[inc["discovered_h"].notna()]
        assert (found["channel"] == "patrol").all()
        delays.append((found["discovered_h"] - found["start_h"]).to_numpy())
    d = np.concatenate(delays)
    assert len(d) > 1500
    se = d.std() / np.sqrt(len(d))
    assert abs(d.mean() - exact) < 4 * se  # 4 standard errors: a wrong formula is far off


def test_grid_officers_settle_minor_patrol_finds():
    raw = variant(discovery__patrol__settle_share={"minor": 1.0})
    rec = simulate_raw(raw, seed=2)
    inc = rec.incidents
    patrol_minor = inc[(inc["channel"] == "patrol") & (inc["severity"] == "minor")]
    assert len(patrol_minor) > 3 and patrol_minor["settled"].all()
    assert patrol_minor["reported_h"].isna().all()
    assert not inc.loc[inc["channel"] != "patrol", "settled"].any()
    assert rec.grid["settle_hours"].sum() > 0


def test_weak_grids_shift_work_onto_enforcement_officers():
    shifted = variant(enforcement__burden_shifting={"enabled": True})
    weak = copy.deepcopy(shifted)
    weak["counties"]["Pujiang"]["patrol"] = {"station_staff_per_township": 0}

    def diverted(rec):
        return rec.officers["diverted_hours"].sum() / rec.officers["duty_hours"].sum()

    assert diverted(simulate_raw(weak, seed=1)) > diverted(simulate_raw(shifted, seed=1)) + 0.05
    assert diverted(simulate_raw(example_raw(), seed=1)) == 0
