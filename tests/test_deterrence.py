"""General deterrence (proposal 4): a township's violations next month thin out as the
recent probability of a penalty there rises.

An elasticity of 0 changes nothing (bit for bit). With a high penalty probability against
a low reference, fewer incidents start; the survivors are exactly the off run's incidents
minus the thinned ones (same ids, times, places); a deterred incident is never found,
reported, sent to or inspected into being; the months table accounts for every one.
Seeds are fixed: deterministic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import simulate_raw
from test_ranking import RECORDS, busy

from sim.model.replication import Records

DETER = {"elasticity": 1.0, "reference_probability": 0.1, "floor": 0.3, "memory_months": 2}


def scenario(deterrence: dict | None = None) -> dict:
    """Busy Pujiang with planned inspections that find violations (none may find a
    deterred one)."""
    raw = busy(days=150)
    raw["inspections"] = {"rate_per_day": 0.2, "find_probability": 0.5}
    if deterrence is not None:
        raw["deterrence"] = deterrence
    return raw


@pytest.fixture(scope="module")
def off() -> Records:
    return simulate_raw(scenario(), seed=4)


@pytest.fixture(scope="module")
def on() -> Records:
    return simulate_raw(scenario(DETER), seed=4)


def test_elasticity_zero_is_bit_identical_to_no_deterrence(off):
    raw = scenario({**DETER, "elasticity": 0.0})
    zero = simulate_raw(raw, seed=4)
    for name in RECORDS:
        pd.testing.assert_frame_equal(getattr(zero, name), getattr(off, name))
    assert (zero.months["rate_multiplier"] == 1.0).all()  # measured, not acted on
    assert zero.months["penalty_probability"].notna().any()


def test_fewer_incidents_and_only_thinned_ones_missing(on, off):
    a, b = on.incidents, off.incidents
    assert len(a) < 0.85 * len(b), (len(a), len(b))
    assert on.months["deterred"].sum() == len(b) - len(a)
    assert on.months["incidents"].sum() == len(a)
    kept = b.set_index("incident_id").loc[a["incident_id"]]
    for col in ("start_h", "township", "type", "severity"):
        np.testing.assert_array_equal(kept[col].to_numpy(), a[col].to_numpy())
    # the first month has nothing to be deterred by; nothing is thinned before its end
    first_end = on.months.loc[on.months["month"] == 1, "month_start_h"].iloc[0]
    gone = b[~b["incident_id"].isin(a["incident_id"])]
    assert (gone["start_h"] > first_end).all()


def test_the_multiplier_follows_the_probability(on):
    m = on.months.sort_values(["township", "month"])
    d = DETER
    for _, t in m.groupby("township", observed=True):
        p = t["penalty_probability"].to_numpy()[:-1]
        want = np.clip((p / d["reference_probability"]) ** -d["elasticity"], d["floor"], 1.0)
        np.testing.assert_allclose(t["rate_multiplier"].to_numpy()[1:], want)
    assert m["rate_multiplier"].min() < 1.0


def test_no_deterred_incident_is_reported_sent_to_or_found(on, off):
    n = len(off.incidents)
    gone = set(range(n)) - set(on.incidents["incident_id"])
    assert gone
    jobs = on.assignments.loc[on.assignments["kind"] == "incident", "job"]
    assert not gone & set(jobs[jobs < n])
    # surviving reports are all in the records, none deterred among what inspections found
    found = on.incidents[on.incidents["channel"] == "planned_inspection"]
    assert set(found["incident_id"]).isdisjoint(gone)
    assert on.grid["found_by_patrol"].sum() == (on.incidents["channel"] == "patrol").sum()
