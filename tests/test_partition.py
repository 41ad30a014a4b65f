"""Partitioned runs: a replication cut into batches of counties is the same run.

Bit-identical, not close: every record table and every indicator of a run cut into 1, 2
or 4 batches equals the unpartitioned run's, on the process pool as serially; with the
mechanisms most likely to couple counties or tie event times on; the record tables load
as one dataset; a killed run resumes batch by batch; and what couples counties refuses to
be cut, in one line.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import pytest

import sim
from sim.cli import main
from sim.errors import ScenarioError
from sim.experiment.options import RunOptions
from sim.experiment.partition import (
    PartSpec,
    batch_count,
    county_codes,
    merge_parts,
    part_tables,
    plan_batches,
)
from sim.model import simulate
from sim.scenario import load_scenario
from sim.world import build_world

SHORT = ["horizon_days=90", "warmup_days=10"]
RECORDS = ("incidents", "inspections", "officers", "assignments", "grid")
# the mechanisms whose draws or processes could tie counties together: interference
# (per-incident draws), sensors placed by share of the whole region, a county duty team,
# a fixed hand-over (equal times), finds by planned inspections, severity dispatch
MECHANISMS = [
    "enforcement.interference.probability=0.4",
    "discovery.sensors.coverage_share=0.3",
    "duty.rota.weekend_team={officers: 2, per: county}",
    "discovery.handover_hours={patrol: {dist: fixed, value: 2.0}, "
    "citizen: {dist: fixed, value: 1.0}}",
    "inspections.find_probability=0.3",
    "enforcement.dispatch_order=severity",
]


@pytest.fixture(scope="module")
def four(tmp_path_factory):
    """Four counties of Jinhua written by ``init`` (63 townships)."""
    out = tmp_path_factory.mktemp("part") / "jh4"
    argv = ["init", "--city", "金华", "--county", "Pujiang", "--county", "Wuyi",
            "--county", "Pan'an", "--county", "Lanxi", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    return out / "scenario.yaml"


def _canonical(df: pd.DataFrame, name: str, officers: pd.DataFrame) -> pd.DataFrame:
    """A table as the partitioned run orders it, without its dataset column (the
    unpartitioned run logs assignments in time order across counties; the partitioned
    one by officer, each officer's in the order they happened)."""
    df = df.drop(columns="county_code", errors="ignore")
    if name == "assignments":
        pos = {o: k for k, o in enumerate(officers["officer"].unique())}
        key = df["officer"].astype(str).map(pos).to_numpy() * 1000 + df["replication"].to_numpy()
        df = df.iloc[np.argsort(key, kind="stable")]
    return df.reset_index(drop=True)


def _same_results(a: sim.Results, b: sim.Results, records=RECORDS) -> None:
    pd.testing.assert_frame_equal(a.summary_by_replication, b.summary_by_replication,
                                  check_exact=True)  # fmt: skip
    pd.testing.assert_frame_equal(a.summary, b.summary, check_exact=True)
    pd.testing.assert_frame_equal(a.quantiles, b.quantiles, check_exact=True)
    for name in records:
        x = _canonical(getattr(a, name), name, a.officers)
        y = _canonical(getattr(b, name), name, a.officers)
        pd.testing.assert_frame_equal(x, y, check_exact=True, obj=name)


def test_batches_cover_every_county_once_and_depend_only_on_the_scenario(four):
    loaded = load_scenario(four)
    counties = list(loaded.scenario.counties)
    for n in (1, 2, 3, 4):
        plan = plan_batches(loaded, n)
        assert len(plan) == n
        assert sorted(c for b in plan for c in b) == sorted(counties)
        assert plan == plan_batches(load_scenario(four), n)
    assert batch_count(loaded, 9) == 4  # never more batches than counties
    assert batch_count(loaded, None) == 1  # a city is one batch unless asked
    assert sorted(county_codes(loaded).values()) == [330723, 330726, 330727, 330781]


@pytest.mark.parametrize("parts", [2, 4])
def test_a_partitioned_run_is_bit_identical_to_one_run(four, parts):
    whole = sim.run(four, replications=2, overrides=SHORT)
    cut = sim.run(four, replications=2, overrides=SHORT, partitions=parts)
    _same_results(whole, cut)
    assert "county_code" in cut.incidents and "county_code" not in whole.incidents


def test_the_process_pool_gives_the_same_partitioned_run(four):
    serial = sim.run(four, replications=2, overrides=SHORT, partitions=3)
    pooled = sim.run(four, replications=2, overrides=SHORT, partitions=3, jobs=2)
    _same_results(serial, pooled)


def test_mechanisms_that_could_couple_counties_still_cut_exactly(four):
    """Batch by batch against one SimPy run, table by table."""
    loaded = load_scenario(four, overrides=[*SHORT, *MECHANISMS])
    full = simulate(build_world(loaded), loaded.scenario.seed, 1)
    opt = RunOptions(seed=loaded.scenario.seed)
    parts = [
        part_tables(PartSpec("v", loaded, batch, b, 1, f"k{b}", "mech", opt, True))
        for b, batch in enumerate(plan_batches(loaded, 3))
    ]
    merged = merge_parts(loaded, parts)
    assert (merged["incidents"]["interference"].astype(str) != "none").any()
    assert merged["grid"]["sensor_covered"].any() and not merged["grid"]["sensor_covered"].all()
    for name in RECORDS:
        x = _canonical(getattr(full, name), name, full.officers)
        y = _canonical(merged[name], name, full.officers)
        pd.testing.assert_frame_equal(x, y, check_exact=True, obj=name)


def test_township_demand_and_the_delay_model_cut_exactly(four):
    loaded = load_scenario(four, overrides=[
        *SHORT, "enforcement.diverted_share=0", "enforcement.township_demand={hours_per_week: 6}",
        "discovery.model=delay", "duty.rota.night_on_call={officers: 2, per: county}",
    ])  # fmt: skip
    whole = sim.run(loaded, replications=1)
    cut = sim.run(loaded, replications=1, partitions=2)
    _same_results(whole, cut)
    assert "diverted_hours_left" in cut.grid


def test_the_record_tables_load_as_one_dataset_and_resume_by_batch(four, tmp_path):
    out = tmp_path / "res"
    first = sim.run(four, replications=2, overrides=SHORT, partitions=2, out=out)
    for name in RECORDS:
        path = out / f"{name}.parquet"
        assert path.is_dir()
        assert [p.name for p in path.iterdir()] == ["variant=jinhua"]
        assert {p.name.split("=")[0] for p in (path / "variant=jinhua").iterdir()} == {
            "county_code"
        }
        table = pd.read_parquet(path)
        assert len(table) == ds.dataset(path, partitioning="hive").count_rows()
        assert len(table) == len(getattr(first, name)) or name == "assignments"
    dask_df = pytest.importorskip("dask.dataframe")
    assert len(dask_df.read_parquet(out / "incidents.parquet")) == len(first.incidents)
    one = pd.read_parquet(out / "incidents.parquet", filters=[("county_code", "=", 330726)])
    assert set(one["county"].astype(str)) == {"Pujiang"}
    # assignments went from the run store to the dataset, never gathered in memory
    assert first.assignments.empty
    whole = sim.run(four, replications=2, overrides=SHORT)
    stored = pd.read_parquet(out / "assignments.parquet").drop(columns="variant")
    stored["officer"] = stored["officer"].astype(whole.assignments["officer"].dtype)
    pd.testing.assert_frame_equal(
        _canonical(whole.assignments.drop(columns="variant"), "assignments", whole.officers),
        _canonical(stored, "assignments", whole.officers),
        check_exact=True,
    )
    # a killed run: one batch's stored run is gone; the rerun makes only that one again
    stored = sorted(p for p in (out / "runs").iterdir() if p.is_dir())
    assert len(stored) == 4  # 2 replications x 2 batches
    import shutil

    shutil.rmtree(stored[0])
    again = sim.run(four, replications=2, overrides=SHORT, partitions=2, out=out)
    assert again.manifest["runs_reused"] == 3
    _same_results(first, again, records=("incidents", "inspections", "officers", "grid"))
    loaded_back = sim.load_results(out)
    assert len(loaded_back.incidents) == len(first.incidents)


def test_the_monthly_step_and_costs_cut_exactly(four):
    """The county ranking's patrol search, deterrence and the cost indicator: the draws the
    monthly step reads are the region's, the costs count every batch's officers."""
    loaded = load_scenario(four, overrides=[
        *SHORT, "horizon_days=150", "ranking={scope: county, strength: 0.5}",
        "deterrence={elasticity: 0.5, reference_probability: 0.5}",
        "costs={enforcement_officer_yuan_per_year: 180000, full_time_grid_officer_yuan_per_year: "
        "80000, part_time_grid_officer_yuan_per_year: 6000, monitoring_points_per_township: 2, "
        "monitoring_point_install_yuan: 30000, monitoring_point_running_yuan_per_year: 6000, "
        "reward_yuan_per_citizen_report: 300}",
        "discovery.sensors.coverage_share=0.3",
    ])  # fmt: skip
    whole = sim.run(loaded, replications=2)
    cut = sim.run(loaded, replications=2, partitions=3)
    _same_results(whole, cut)
    pd.testing.assert_frame_equal(
        whole.months, cut.months.drop(columns="county_code"), check_exact=True
    )
    assert (whole.months["effort_multiplier"] > 1).any()  # the ranking acted
    assert (whole.months["deterred"] > 0).any()  # and deterrence thinned
    assert "annual_cost_yuan" in set(cut.summary["indicator"])


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ("enforcement.shortfall_policy=borrow", "lends officers across units"),
        ("ranking={}", "ranking.scope 'city'"),
    ],
)
def test_what_couples_counties_refuses_to_be_cut(four, change, why):
    with pytest.raises(ScenarioError, match=why) as err:
        sim.run(four, replications=1, overrides=[*SHORT, change], partitions=2)
    assert err.value.path == "--partitions"
    assert batch_count(load_scenario(four, overrides=[change]), None) == 1


def test_the_command_line_says_so_in_one_line(four, tmp_path, capsys):
    argv = ["run", str(four), "--set", "enforcement.shortfall_policy=borrow", "--partitions",
            "2", "--out", str(tmp_path / "x"), "--quiet"]  # fmt: skip
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--partitions" in err[0] and "Traceback" not in err[0]
