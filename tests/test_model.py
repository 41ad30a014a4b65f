"""The rules of the enforcement model, checked on the example county."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import example_raw, simulate_raw

from sim.scenario.schema import Duty
from sim.world.duty import DutyCalendar

TIMES = ["start_h", "discovered_h", "reported_h", "team_formed_h", "arrived_h", "done_h"]


@pytest.fixture(scope="module")
def records():
    return simulate_raw(example_raw(), seed=7)


def test_incident_timestamps_are_in_order(records):
    inc = records.incidents
    assert len(inc) > 100
    times = inc[TIMES].to_numpy()
    for a, b in zip(TIMES, TIMES[1:], strict=False):
        both = inc[a].notna() & inc[b].notna()
        assert both.sum() > 50, f"too few incidents reach {b} for the check to mean anything"
        assert (inc.loc[both, a] <= inc.loc[both, b]).all(), f"{a} after {b}"
    # a later stage is never recorded without the earlier ones
    seen = ~np.isnan(times)
    assert (seen[:, 1:] <= seen[:, :-1]).all()


def test_no_officer_is_in_two_places_at_once(records):
    asg = records.assignments.sort_values(["officer", "start_h", "end_h"])
    assert len(asg) > 100
    for _, jobs in asg.groupby("officer"):
        starts, ends = jobs["start_h"].to_numpy(), jobs["end_h"].to_numpy()
        assert (starts[1:] >= ends[:-1] - 1e-9).all()


def test_every_attended_incident_under_wait_has_a_legal_team(records):
    inc = records.incidents
    attended = inc[inc["team_formed_h"].notna()]
    assert len(attended) > 50
    assert (attended["officers_present"] >= 2).all()
    # and the team is exactly the officers assigned to it
    asg = records.assignments
    counts = asg[asg["kind"] == "incident"].groupby("job").size()
    assert (
        counts.reindex(attended["incident_id"]).to_numpy() == attended["officers_present"]
    ).all()


def test_go_alone_breaks_the_two_person_rule_and_records_it():
    raw = example_raw()
    raw["enforcement"]["shortfall_policy"] = "go_alone"
    for unit in raw["units"].values():
        unit["officers"] = 1
    inc = simulate_raw(raw).incidents
    attended = inc[inc["team_formed_h"].notna()]
    assert len(attended) > 50
    assert (attended["officers_present"] == 1).all()


def test_teams_are_formed_only_on_duty_except_on_call_severities(records):
    cal = DutyCalendar.from_spec(Duty())
    inc = records.incidents[records.incidents["team_formed_h"].notna()]
    off = inc[[not cal.on_duty(t) for t in inc["team_formed_h"]]]
    assert len(inc) > 50 and len(off) > 3
    assert (off["severity"] == "major").all() and off["callout"].all()
    assert not inc.loc[[cal.on_duty(t) for t in inc["team_formed_h"]], "callout"].any()
    # and reports made at night really wait for the morning
    night = inc[[not cal.on_duty(t) for t in inc["reported_h"]]]
    night = night[night["severity"] != "major"]
    assert len(night) > 10
    assert (night["team_formed_h"] > night["reported_h"]).all()


def test_statuses_account_for_every_incident(records):
    inc = records.incidents
    status = inc["status"].astype(str)
    assert set(status) <= {
        "resolved", "in_progress", "waiting", "reporting", "settled", "undiscovered"
    }  # fmt: skip
    settled = inc[status == "settled"]
    assert len(settled) > 0 and (settled["channel"] == "patrol").all()
    assert settled["reported_h"].isna().all() and settled["team_formed_h"].isna().all()
    assert (inc.loc[status == "undiscovered", "discovered_h"].isna()).all()
    assert (inc.loc[status == "resolved", "done_h"].notna()).all()
    assert (inc.loc[status == "waiting", "team_formed_h"].isna()).all()
    assert (inc.loc[status == "waiting", "reported_h"].notna()).all()
    assert (status == "undiscovered").sum() > 0


def test_pollution_stops_when_the_team_arrives(records):
    inc = records.incidents
    attended = inc[inc["arrived_h"].notna()]
    assert (attended["pollution_hours"] <= attended["arrived_h"] - attended["start_h"] + 1e-9).all()
    assert (inc["pollution_hours"] >= 0).all()


def test_officer_hours_add_up(records):
    off = records.officers
    busy_in_duty = off["duty_hours"] - off["idle_hours"]
    worked = off[
        ["onsite_hours", "travel_hours", "paperwork_hours", "inspection_hours", "diverted_hours"]
    ].sum(axis=1)
    # work inside duty plus overtime is all the work done in the window
    assert np.allclose(busy_in_duty + off["overtime_hours"], worked)
    assert (off["idle_hours"] >= 0).all() and (off["overtime_hours"] >= -1e-9).all()
    assert (off["utilisation"].between(0, 1)).all()


def test_same_seed_same_tables_and_other_seed_differs():
    a = simulate_raw(example_raw(), seed=11)
    b = simulate_raw(example_raw(), seed=11)
    c = simulate_raw(example_raw(), seed=12)
    pd.testing.assert_frame_equal(a.incidents, b.incidents)
    pd.testing.assert_frame_equal(a.officers, b.officers)
    pd.testing.assert_frame_equal(a.assignments, b.assignments)
    assert not a.incidents["start_h"].equals(c.incidents["start_h"])


def test_deployment_models_see_the_same_incidents():
    """Common random numbers: only enforcement columns may differ between layouts."""
    squad = example_raw()
    central = example_raw()
    central["units"] = {"pool": {"model": "central", "county": "Pujiang", "officers": 9}}
    a = simulate_raw(squad, seed=3).incidents
    b = simulate_raw(central, seed=3).incidents
    same = ["start_h", "township", "type", "severity", "discovered_h", "reported_h", "channel"]
    pd.testing.assert_frame_equal(a[same], b[same])
    assert not a["team_formed_h"].equals(b["team_formed_h"])


def test_replications_are_independent():
    a = simulate_raw(example_raw(), seed=5, replication=0).incidents
    b = simulate_raw(example_raw(), seed=5, replication=1).incidents
    assert not a["start_h"].equals(b["start_h"])


def test_partner_wait_is_part_of_the_wait_and_vanishes_when_going_alone():
    raw = example_raw()
    for spec in raw["incident_types"].values():
        spec["rate_per_day"] *= 3  # busy enough that partners are often out
    inc = simulate_raw(raw, seed=7).incidents
    inc = inc[inc["team_formed_h"].notna()]
    partner = inc["partner_wait_hours"]
    wait = inc["team_formed_h"] - inc["reported_h"]
    assert (partner >= 0).all() and (partner <= wait + 1e-9).all()
    # three officers, teams of two: a lone free officer must often wait for a partner
    assert (partner > 0).sum() > 20
    raw = example_raw()
    raw["enforcement"]["shortfall_policy"] = "go_alone"
    alone = simulate_raw(raw, seed=7).incidents
    assert (alone["partner_wait_hours"].dropna() == 0).all()


def test_backlog_series_agrees_with_the_time_averaged_backlog(records):
    from sim.stats import backlog_series, summarise_replication

    horizon, warmup = 365 * 24.0, 30 * 24.0
    series = backlog_series(records.incidents, horizon, step_hours=0.25)
    assert (series["waiting"] >= 0).all() and (series["in_progress"] >= 0).all()
    assert series["waiting"].max() >= 1
    # the indicator counts reports of incidents started after warm-up; so does this
    kept = records.incidents[~records.incidents["in_warmup"]]
    window = backlog_series(kept, horizon, step_hours=0.25).query("t_h >= @warmup")
    summary = summarise_replication(kept, records.inspections, records.officers, (warmup, horizon))
    backlog = summary.query("scope == 'all' and indicator == 'backlog_mean'")["value"].item()
    assert window["waiting"].mean() == pytest.approx(backlog, rel=0.02, abs=1e-3)
