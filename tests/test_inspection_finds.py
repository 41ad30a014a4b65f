"""Planned inspections that find violations (issue 16, deliverable 5): off changes nothing;
on, inspections find incidents that were active and unreported when the team finished on
site, record them under their own channel, report them then, and send a team once."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import example_raw, simulate_raw

from sim.model.replication import Records
from sim.stats.catalogue import entry
from sim.stats.indicators import summarise_replication

SEED = 5


def _raw(**inspections) -> dict:
    raw = example_raw()
    raw["inspections"] = {"rate_per_day": 0.3, **inspections}
    return raw


@pytest.fixture(scope="module")
def runs() -> dict[str, Records]:
    """Without the field, at 0 and at 1 (same seed: the same incidents and inspections)."""
    return {
        "none": simulate_raw(_raw(), seed=SEED),
        "zero": simulate_raw(_raw(find_probability=0.0), seed=SEED),
        "one": simulate_raw(_raw(find_probability=1.0), seed=SEED),
    }


def test_off_is_bit_identical(runs):
    for table in ("incidents", "inspections", "officers", "assignments", "grid"):
        pd.testing.assert_frame_equal(
            getattr(runs["zero"], table), getattr(runs["none"], table), check_exact=True
        )


def test_inspections_find_active_unreported_incidents(runs):
    off, on = runs["none"].incidents, runs["one"].incidents
    ins = runs["one"].inspections
    found = on[on["channel"] == "planned_inspection"]
    assert len(found) >= 5
    # the same incidents, and each found at the end of an inspection's time on site there
    assert (on["start_h"].to_numpy() == off["start_h"].to_numpy()).all()
    ends = set(zip(ins["township"], ins["done_h"], strict=True))
    for i, row in found.iterrows():
        t = row["discovered_h"]
        assert (row["township"], t) in ends
        assert row["reported_h"] == t
        assert row["start_h"] <= t
        before = off.loc[i]
        # undiscovered (or found later) and unreported at t without the mechanism
        assert not before["discovered_h"] <= t
        assert not before["reported_h"] <= t
        # reported, so a team goes (if one goes) after the find
        assert not row["team_formed_h"] < t


def test_found_incidents_are_sent_one_team(runs):
    """The up-front report of a found incident is skipped: no second team is sent."""
    on = runs["one"]
    found = on.incidents.index[on.incidents["channel"] == "planned_inspection"]
    a = on.assignments
    rows = a[(a["kind"] == "incident") & a["job"].isin(found)].groupby("job").size()
    present = on.incidents.loc[rows.index, "officers_present"]
    assert (rows.to_numpy() == present.to_numpy()).all()


def test_indicator_share_found_by_planned_inspections(runs):
    assert entry("share_found_planned_inspection") is not None
    sc_window = (30 * 24.0, 365 * 24.0)

    def share(rec: Records) -> float:
        s = summarise_replication(rec.incidents, rec.inspections, rec.officers, sc_window)
        return float(s.query("indicator == 'share_found_planned_inspection'")["value"].iloc[0])

    assert share(runs["none"]) == 0.0
    assert share(runs["one"]) > 0.0
