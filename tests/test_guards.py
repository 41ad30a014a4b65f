"""Runaway guards: size estimates before running, a wall-clock limit while running,
and result folders that stay where they were asked to be."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES
from helpers import example_raw, simulate_raw

import sim
from sim.cli import main
from sim.experiment.guards import MAX_EVENTS, estimate_size
from sim.scenario.load import from_mapping
from sim.world import build_world

EXAMPLE = EXAMPLES / "pujiang_squadrons.yaml"


def test_the_estimate_is_close_to_what_a_run_makes():
    raw = example_raw()
    raw["inspections"] = {"rate_per_day": 0.05}
    raw["enforcement"]["diverted_share"] = 0.2
    world = build_world(from_mapping(raw, base_dir=EXAMPLES))
    est = estimate_size(world)
    rec = simulate_raw(raw, seed=1)
    assert est.incidents == pytest.approx(len(rec.incidents), rel=0.15)
    assert est.inspections == pytest.approx(len(rec.inspections), rel=0.1)
    diverted = (rec.assignments["kind"] == "diverted").sum()
    assert est.diverted_tasks == pytest.approx(diverted, rel=0.1)
    # events are estimated as if every incident were found and served: on the safe side
    # for a guard, but not wildly so
    assert rec.events <= est.events <= 1.5 * rec.events


def test_a_runaway_scenario_is_refused_with_its_estimate(tmp_path, capsys):
    argv = ["run", str(EXAMPLE), "--out", str(tmp_path / "o"), "--set", "horizon_days=80000000"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "horizon_days" in err and "--force" in err
    assert f"{MAX_EVENTS:,} events" in err
    assert not (tmp_path / "o" / "runs").exists()


def test_a_run_past_its_time_limit_is_stopped_and_recorded():
    res = sim.run(EXAMPLE, replications=1, jobs=1, max_run_seconds=1e-6,
                  overrides=["inspections.rate_per_day=1"])  # fmt: skip
    (failure,) = res.manifest["failures"]
    assert "RunTimeout" in failure["traceback"]


def test_a_scenario_name_cannot_escape_the_results_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(EXAMPLE), "--set", "name=../../escaped", "--quiet"]) == 2
    assert "name: must be a plain name" in capsys.readouterr().err
    assert not (tmp_path.parent.parent / "escaped").exists()
    assert not (tmp_path / "results").exists()
