"""Diverted work played off the event queue (``sim.model.agenda``) gives every table bit for
bit what one event per release and per end gave.

The event path is still the model's for rotas and mutual aid, so it can be asked for: a
model whose units are not ``units_apart`` keeps the events. Each case runs both ways on
the same seed and compares every record table exactly; the tight cases keep jobs waiting
(few officers, much diverted work), so the agenda's wakes — the steps that become events
again while a job waits — are exercised, and counted to be sure they were.
"""

from __future__ import annotations

import copy

import pandas as pd
import pytest
from helpers import example_raw, simulate_raw, stationed_offices

from sim.model.agenda import DivertedAgenda
from sim.model.enforcement import EnforcementUnits

TABLES = ("incidents", "inspections", "officers", "assignments", "grid")


def _tight(**enforcement) -> dict:
    """Pujiang over 90 days, two officers a squadron doing a third of their time in
    diverted work, with planned inspections: jobs often wait for a partner."""
    raw = example_raw()
    raw.update(horizon_days=90, warmup_days=10)
    for unit in raw["units"].values():
        unit["officers"] = 2
    raw["inspections"] = {"rate_per_day": 0.2}
    raw["enforcement"].update(diverted_share=0.35, **enforcement)
    return raw


def _demand() -> dict:
    raw = example_raw()
    raw.update(horizon_days=60, warmup_days=5)
    raw["counties"]["Pujiang"]["patrol"]["station_staff_per_township"] = 0
    raw["units"] = stationed_offices(2, 3, 2)
    raw["enforcement"]["township_demand"] = {"hours_per_week": 6.0}
    raw["enforcement"]["interference"] = {"probability": 0.3}
    return raw


def _finds_and_ranking() -> dict:
    raw = _tight(dispatch_order="severity")
    raw["inspections"] = {"rate_per_day": 0.3, "find_probability": 1.0}
    raw["ranking"] = {"strength": 1.0, "scope": "county"}
    return raw


CASES = {
    "tight_wait": lambda: _tight(),
    "tight_go_alone_chaining": lambda: _tight(shortfall_policy="go_alone", chaining=True),
    "township_demand_interference": _demand,
    "finds_ranking_severity": _finds_and_ranking,
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_agenda_gives_what_one_event_per_step_gave(case, monkeypatch):
    raw = CASES[case]()
    wakes = []
    real_wake = DivertedAgenda._wake

    def counted(self, u):
        wakes.append(u)
        real_wake(self, u)

    monkeypatch.setattr(DivertedAgenda, "_wake", counted)
    played = simulate_raw(copy.deepcopy(raw), seed=2)
    assert wakes, "no job ever waited while diverted work was under way"
    monkeypatch.setattr(EnforcementUnits, "units_apart", False)
    evented = simulate_raw(copy.deepcopy(raw), seed=2)
    assert (evented.assignments["kind"] == "diverted").sum() > 100
    for name in TABLES:
        pd.testing.assert_frame_equal(
            getattr(played, name), getattr(evented, name), check_exact=True, obj=name
        )
    if played.months is not None:
        pd.testing.assert_frame_equal(played.months, evented.months, check_exact=True)
    # the count of events stays a measure of work: the event path's, less the two events
    # that start its chain of releases
    assert played.events == evented.events - 2
