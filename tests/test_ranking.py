"""The monthly ranking (proposal 2): townships scored on what monitoring sees, the bottom
ones' grid effort raised for the next month, the patrol search following the effort.

A strength of 0 changes nothing (bit for bit); the loop is bounded by its cap and decays
back as specified; with the loop on, townships pushed to the bottom get more patrol
visits and patrols find more there than in the paired run without it; a report the
search moved is never delivered at its old time. Seeds are fixed: deterministic.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pandas as pd
import pytest
from helpers import EXAMPLES, example_raw, simulate_raw

import sim
from sim.experiment.results import load_results
from sim.model import simulate
from sim.model.channels import PatrolChannel
from sim.model.incidents import generate_incidents
from sim.model.replication import Records
from sim.model.streams import Streams
from sim.report import figures as F
from sim.scenario.load import from_mapping
from sim.stats.catalogue import ONLY_WITH_MONTHS
from sim.world import build_world

RECORDS = ("incidents", "inspections", "officers", "assignments", "grid")
RANKING = {"strength": 1.0, "max_effort_multiplier": 2.5, "decay_per_month": 0.5,
           "bottom_share": 0.3, "unmonitored_visibility": 0.5}  # fmt: skip


def busy(ranking: dict[str, Any] | None = None, days: float = 200) -> dict[str, Any]:
    """The Pujiang example, four times busier and cut to ``days``; patrols slow enough
    that other channels find much first (so the effort has something to change)."""
    raw = example_raw()
    raw["horizon_days"] = days
    for spec in raw["incident_types"].values():
        spec["rate_per_day"] *= 4
    if ranking is not None:
        raw["ranking"] = ranking
    return copy.deepcopy(raw)


@pytest.fixture(scope="module")
def off() -> list[Records]:
    return [simulate_raw(busy(), seed=3, replication=r) for r in range(2)]


@pytest.fixture(scope="module")
def on() -> list[Records]:
    return [simulate_raw(busy(RANKING), seed=3, replication=r) for r in range(2)]


def test_strength_zero_is_bit_identical_to_no_ranking(off):
    zero = simulate_raw(busy({**RANKING, "strength": 0.0}), seed=3, replication=0)
    for name in RECORDS:
        pd.testing.assert_frame_equal(getattr(zero, name), getattr(off[0], name))
    # measured, not acted on: every township ranked, its effort left at 1
    assert off[0].months is None
    assert (zero.months["effort_multiplier"] == 1.0).all() and (zero.months["rank"] > 0).any()


def test_effort_is_bounded_by_the_cap_and_decays_back_out_of_the_bottom(on):
    for rec in on:
        m = rec.months.sort_values(["township", "month"])
        e = m["effort_multiplier"].to_numpy()
        assert e.min() >= 1.0 and e.max() <= RANKING["max_effort_multiplier"] + 1e-12
        assert e.max() > 1.0  # the loop did something
        for _, t in m.groupby("township", observed=True):
            eff, bottom = t["effort_multiplier"].to_numpy(), t["bottom"].to_numpy()
            up = np.minimum(eff[:-1] + RANKING["strength"], RANKING["max_effort_multiplier"])
            down = 1.0 + (eff[:-1] - 1.0) * (1 - RANKING["decay_per_month"])
            np.testing.assert_allclose(eff[1:], np.where(bottom[:-1], up, down))
        left = m.groupby("township", observed=True)["bottom"].apply(lambda b: b.any())
        assert left.any()


def test_bottom_is_the_worst_share_of_the_scored(on):
    m = on[0].months
    months = 0
    for _, month in m.groupby("month"):
        bottom = month["bottom"].to_numpy()
        assert bottom.sum() <= int(np.ceil(RANKING["bottom_share"] * 15))
        assert (month.loc[bottom, "score"] > 0).all()
        if bottom.any() and not bottom.all():
            months += 1
            assert month.loc[bottom, "score"].min() >= month.loc[~bottom, "score"].max()
    assert months > 3


def test_more_effort_finds_more_by_patrol_where_it_was_raised(on, off):
    raised, found_on, found_off = 0, 0, 0
    for a, b in zip(on, off, strict=True):
        towns = a.months.groupby("township", observed=True)["effort_multiplier"].max()
        pushed = towns[towns > 1.0].index.astype(str)
        raised += len(pushed)
        found_on += a.grid.loc[a.grid["township"].isin(pushed), "found_by_patrol"].sum()
        found_off += b.grid.loc[b.grid["township"].isin(pushed), "found_by_patrol"].sum()
        # paired: the same incidents, in every township
        np.testing.assert_array_equal(a.incidents["start_h"], b.incidents["start_h"])
    assert raised > 0
    assert found_on >= found_off * 1.2 and found_on - found_off >= 5, (found_on, found_off)


def test_a_moved_report_is_delivered_at_its_new_time_only(on):
    for rec in on:
        inc = rec.incidents
        sent = inc["team_formed_h"].notna()
        assert (inc.loc[sent, "team_formed_h"] >= inc.loc[sent, "reported_h"] - 1e-9).all()
        assert (
            inc["reported_h"].dropna() >= inc.loc[inc["reported_h"].notna(), "discovered_h"]
        ).all()
        # each incident job was sent at most once: one team, its officers all setting out
        jobs = rec.assignments[rec.assignments["kind"] == "incident"]
        assert (jobs.groupby("job")["officer"].count() <= inc["team_size"].max()).all()


def test_the_experiment_layer_keeps_the_months_and_their_indicators(tmp_path):
    raw = busy({**RANKING}, days=120)
    raw["deterrence"] = {"elasticity": 0.5, "reference_probability": 0.2}
    loaded = from_mapping(raw, base_dir=EXAMPLES)
    res = sim.run(loaded, replications=2, seed=5, out=tmp_path / "out", jobs=1)
    assert set(res.months["replication"]) == {0, 1}
    top = res.headline()
    assert set(ONLY_WITH_MONTHS) <= set(top)
    assert top["effort_multiplier_max"]["mean"] > 1.0
    assert top["violation_rate_per_day"]["mean"] > 0
    again = load_results(tmp_path / "out")
    pd.testing.assert_frame_equal(again.months, res.months, check_categorical=False)
    plain = sim.run(from_mapping(busy(days=120), base_dir=EXAMPLES), replications=1, seed=5, jobs=1)
    assert plain.months.empty and not set(ONLY_WITH_MONTHS) & set(plain.headline())
    # the figure: drawn from the months, refused (NoData) without them
    fig = F.ranking_feedback(again)
    fig.savefig(tmp_path / "ranking.png")
    left = fig.axes[0]
    assert np.nanmax(np.concatenate([line.get_ydata() for line in left.get_lines()])) > 1.0
    with pytest.raises(F.NoData):
        F.ranking_feedback(plain)


def test_the_patrol_search_spends_its_mass_at_the_months_effort():
    """With every scored township held at the cap (bottom share 1, no decay), a patrol
    find of an incident that started under the cap comes when cap x the grid's working
    hours since its start reach the incident's search mass: mass / cap duty hours."""
    cap = 3.0
    raw = busy({"strength": 5.0, "max_effort_multiplier": cap, "bottom_share": 1.0,
                "decay_per_month": 0.0}, days=150)  # fmt: skip
    world = build_world(from_mapping(copy.deepcopy(raw), base_dir=EXAMPLES))
    rec = simulate(world, 3, 0)
    inc = generate_incidents(world, Streams(3, 0))
    mass = PatrolChannel.work_hours(world, inc, Streams(3, 0))
    m = rec.months
    capped = m[m["effort_multiplier"] == cap].groupby("township", observed=True)["month"].min()
    since = {t: m.loc[m["month"] == k, "month_start_h"].iloc[0] for t, k in capped.items()}
    found = rec.incidents[rec.incidents["channel"] == "patrol"]
    checked = 0
    for row in found.itertuples():
        t0 = since.get(row.township)
        if t0 is None or row.start_h < t0:
            continue
        k = world.township_names.index(row.township)
        cal = world.grid.calendars[world.grid.calendar_of[k]]
        want = cal.add_duty_hours(row.start_h, float(mass[row.incident_id]) / cap)
        assert row.discovered_h == pytest.approx(want, abs=1e-6)
        checked += 1
    assert checked >= 10
