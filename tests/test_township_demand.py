"""Diverted work as township demand (issue 16, deliverable 1): the townships make the work,
the posting decides who absorbs it, and what nobody absorbs stays with the township."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from helpers import EXAMPLES, example_raw, simulate_raw, stationed_offices

from sim.errors import ScenarioError
from sim.registry import DEPLOYMENT_MODELS
from sim.scenario.load import from_mapping
from sim.world import build_world

REPLICATIONS = 4


def _small(demand: dict | None = None) -> dict:
    """The Pujiang example over 60 days, its grids weak (part-time grid officers only, no
    township stations), with township demand on."""
    raw = example_raw()
    raw.update(horizon_days=60, warmup_days=5)
    raw["counties"]["Pujiang"]["patrol"]["station_staff_per_township"] = 0
    if demand is not None:
        raw["enforcement"]["township_demand"] = demand
    return raw


def _central(raw: dict, officers: int = 9) -> dict:
    raw = copy.deepcopy(raw)
    raw["units"] = {"pool": {"model": "central", "county": "Pujiang", "officers": officers}}
    return raw


def _stationed(raw: dict, each: int = 3) -> dict:
    raw = copy.deepcopy(raw)
    raw["units"] = stationed_offices(each, each, each)
    return raw


def test_off_keeps_the_share_model_and_adds_no_column():
    raw = _small()
    raw["enforcement"]["diverted_share"] = 0.2
    rec = simulate_raw(raw)
    assert rec.officers["diverted_hours"].sum() > 0
    assert "diverted_hours_left" not in rec.grid
    assert "township_demand_hours" not in rec.grid
    assert build_world(from_mapping(raw, base_dir=EXAMPLES)).demand is None


def test_exposure_is_a_registry_fact_of_every_model():
    exposure = {name: m.diverted_exposure for name, m in DEPLOYMENT_MODELS.items()}
    assert exposure["stationed"] > exposure["squadron"] > exposure["central"]
    assert exposure["central"] >= exposure["integrated"] == 0.0


def test_stationed_offices_carry_more_diverted_work_than_a_central_pool_paired():
    """Same seed, same incidents, same weak grids: only the posting differs."""
    raw = _small({"hours_per_week": 4.0})
    diff = []
    for rep in range(REPLICATIONS):
        st = simulate_raw(_stationed(raw), seed=3, replication=rep)
        ce = simulate_raw(_central(raw), seed=3, replication=rep)
        assert (st.incidents["start_h"].to_numpy() == ce.incidents["start_h"].to_numpy()).all()
        np.testing.assert_array_equal(
            st.grid["township_demand_hours"], ce.grid["township_demand_hours"]
        )
        diff.append(st.officers["diverted_hours"].sum() - ce.officers["diverted_hours"].sum())
    d = np.array(diff)
    se = d.std(ddof=1) / np.sqrt(len(d))
    assert d.mean() > 4 * se and d.mean() > 0


def test_a_head_count_cut_does_not_shrink_the_townships_demand():
    raw = _small({"hours_per_week": 4.0, "exposure": {"stationed": 0.6}})
    full = simulate_raw(_stationed(raw, 3))
    cut = simulate_raw(_stationed(raw, 2))
    for col in ("township_demand_hours", "diverted_hours_left"):
        np.testing.assert_array_equal(full.grid[col], cut.grid[col])
    absorbed = (full.grid["township_demand_hours"] - full.grid["diverted_hours_left"]).sum()
    assert 0 < full.grid["diverted_hours_left"].sum() < full.grid["township_demand_hours"].sum()
    # what reached the officers is done by them (within the work still waiting at the end)
    for rec in (full, cut):
        assert rec.officers["diverted_hours"].sum() == pytest.approx(absorbed, rel=0.1)


def test_an_integrated_team_leaves_all_the_work_to_the_townships():
    raw = _small({"hours_per_week": 4.0})
    raw["units"] = {"team": {"model": "integrated", "county": "Pujiang", "officers": 9}}
    rec = simulate_raw(raw)
    assert rec.officers["diverted_hours"].sum() == 0
    left = rec.grid["diverted_hours_left"].sum()
    assert left == pytest.approx(rec.grid["township_demand_hours"].sum()) and left > 0


def test_weak_grids_make_more_demand():
    weak = build_world(from_mapping(_small({"hours_per_week": 4.0}), base_dir=EXAMPLES))
    flat = build_world(
        from_mapping(_small({"hours_per_week": 4.0, "weak_grid_factor": 0}), base_dir=EXAMPLES)
    )
    assert weak.demand is not None and flat.demand is not None
    np.testing.assert_allclose(flat.demand.hours_per_week, 4.0 * weak.township_weight)
    assert (weak.demand.hours_per_week >= flat.demand.hours_per_week).all()
    assert weak.demand.hours_per_week.sum() > flat.demand.hours_per_week.sum()


def test_the_share_model_and_township_demand_are_never_both_on():
    raw = _small({"hours_per_week": 4.0})
    raw["enforcement"]["diverted_share"] = 0.1
    with pytest.raises(ScenarioError, match="share-of-time"):
        build_world(from_mapping(raw, base_dir=EXAMPLES))
