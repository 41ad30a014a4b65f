"""Costs (``costs``, ``annual_cost_yuan``) and the cost-response frontier (``sim.frontier``).

The frontier is checked by brute force: every point it keeps has no other point at most
as costly and at most as bad on the first target (better on one), and every point it
drops has one. The cost indicator is checked against the same sum done by hand from the
scenario's numbers and the run's citizen reports.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.cli import main
from sim.frontier import frontier, non_dominated
from sim.frontier.report import write_frontier_report
from sim.stats.catalogue import INDICATORS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "scenarios" / "examples" / "pujiang_squadrons.yaml"
COSTS = {
    "enforcement_officer_yuan_per_year": 200_000,
    "full_time_grid_officer_yuan_per_year": 90_000,
    "part_time_grid_officer_yuan_per_year": 6_000,
    "monitoring_points_per_township": 2,
    "monitoring_point_install_yuan": 50_000,
    "monitoring_point_life_years": 5,
    "monitoring_point_running_yuan_per_year": 8_000,
    "reward_yuan_per_citizen_report": 500,
}
SHORT = ["horizon_days=45", "warmup_days=5", "duty.always=true"]


def _costed(tmp: Path) -> Path:
    lines = [f"extends: {EXAMPLE}", "costs:"] + [f"  {k}: {v}" for k, v in COSTS.items()]
    path = tmp / "costed.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _dominated_by_brute_force(cost: np.ndarray, resp: np.ndarray) -> np.ndarray:
    out = np.zeros(len(cost), dtype=bool)
    for i in range(len(cost)):
        for j in range(len(cost)):
            no_worse = cost[j] <= cost[i] and resp[j] <= resp[i]
            if j != i and no_worse and (cost[j] < cost[i] or resp[j] < resp[i]):
                out[i] = True
    return out


def test_non_dominated_agrees_with_brute_force_on_small_grids_with_ties():
    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(1, 12))
        cost = rng.integers(0, 5, n).astype(float)  # few values: many ties
        resp = rng.integers(0, 5, n).astype(float)
        on = non_dominated(cost, resp)
        assert np.array_equal(on, ~_dominated_by_brute_force(cost, resp))
        assert on.any()  # a finite set always has a non-dominated point


def test_a_point_without_a_response_is_never_on_the_frontier():
    on = non_dominated(np.array([1.0, 2.0, 0.5]), np.array([3.0, 1.0, np.nan]))
    assert on.tolist() == [True, True, False]


def test_annual_cost_adds_up_by_hand(tmp_path):
    res = sim.run(
        _costed(tmp_path),
        replications=2,
        seed=3,
        overrides=[*SHORT, "discovery.sensors.coverage_share=0.4",
                   "discovery.citizens.reward_multiplier=2.0"],
    )  # fmt: skip
    # the example: 9 officers, 15 townships x 4 grids x 1 grid officer, 2 station staff each
    towns = 15
    standing = (
        9 * 200_000
        + towns * 4 * 1.0 * 6_000
        + towns * 2 * 90_000
        + round(0.4 * towns) * 2 * (50_000 / 5 + 8_000)
    )
    years = (45 - 5) / 365
    inc = res.incidents[~res.incidents["in_warmup"]]
    top = res.summary_by_replication
    top = top[(top["scope"] == "all") & (top["indicator"] == "annual_cost_yuan")]
    assert len(top) == 2
    for r, got in zip(top["replication"], top["value"], strict=True):
        reports = int(((inc["replication"] == r) & (inc["channel"] == "citizen")).sum())
        assert reports > 0
        assert got == pytest.approx(standing + reports * 500 * 2.0 / years)
    assert "annual_cost_yuan" in INDICATORS


def test_no_costs_block_no_cost_indicator():
    res = sim.run(EXAMPLE, replications=1, overrides=SHORT)
    assert "annual_cost_yuan" not in set(res.summary["indicator"])


@pytest.fixture(scope="module")
def run_frontier(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("frontier")
    base = _costed(tmp)
    plan = tmp / "fr.yaml"
    plan.write_text(
        f"base: {base.name}\nreplications: 2\nseed: 5\n"
        "levers:\n"
        "  units.east_squadron.officers: [2, 3, 4]\n"
        "  discovery.sensors.coverage_share: [0.6]\n"
        "  discovery.citizens.reward_multiplier: [1.0, 3.0]\n"
        "targets:\n  - 'mean(response_h) <= 2'\n  - 'p90(response_h) <= 6'\n",
        encoding="utf-8",
    )
    out = tmp / "out"
    # through the API without a run store (the parquet files would double the time); the
    # command's own path is the bad-file test's, to its first run
    result = frontier(plan, jobs=1, overrides=SHORT)
    result.save(out)
    write_frontier_report(out, result)
    return result, out


def test_frontier_command_writes_its_tables_figure_and_report(run_frontier):
    result, out = run_frontier
    assert result.manifest["failures"] == []
    for name in ("points.csv", "frontier.csv", "frontier.png", "frontier.md", "manifest.json"):
        assert (out / name).is_file(), name
    points = pd.read_csv(out / "points.csv")
    assert len(points) == 6 and points["annual_cost_yuan"].notna().all()
    text = (out / "frontier.md").read_text("utf-8")
    assert "mean(response_h) <= 2" in text and "frontier.png" in text


def test_frontier_points_are_exactly_the_non_dominated_ones(run_frontier):
    _, out = run_frontier
    points = pd.read_csv(out / "points.csv")
    cost = points["annual_cost_yuan"].to_numpy()
    resp = points["t1_estimate"].to_numpy()
    dominated = _dominated_by_brute_force(cost, resp)
    assert np.array_equal(points["on_frontier"].to_numpy(), ~dominated)
    front = pd.read_csv(out / "frontier.csv")
    assert sorted(front["point"]) == sorted(points.loc[~dominated, "point"])
    assert front["annual_cost_yuan"].is_monotonic_increasing


def test_all_met_means_every_target_and_cheapest_is_the_cheapest_such_point(run_frontier):
    _, out = run_frontier
    p = pd.read_csv(out / "points.csv")
    assert (p["all_met"] == (p["t1_met"] & p["t2_met"])).all()
    assert (p["t1_met"] == (p["t1_ci95_high"] <= 2)).all()
    met = p[p["all_met"]]
    assert p["cheapest_meeting"].sum() == (1 if len(met) else 0)
    if len(met):
        best = p[p["cheapest_meeting"]].iloc[0]
        assert best["annual_cost_yuan"] == met["annual_cost_yuan"].min()


def test_costs_rise_with_each_costed_lever(run_frontier):
    _, out = run_frontier
    p = pd.read_csv(out / "points.csv")
    lever = "units.east_squadron.officers"
    for (_, _), part in p.groupby(["discovery.sensors.coverage_share",
                                   "discovery.citizens.reward_multiplier"]):  # fmt: skip
        two, four = (part.loc[part[lever] == n, "annual_cost_yuan"].iloc[0] for n in (2, 4))
        assert four - two == pytest.approx(2 * 200_000, rel=0.05)  # rewards move a little


def test_bad_frontier_file_is_one_line(tmp_path, capsys):
    _costed(tmp_path)
    plan = tmp_path / "fr.yaml"
    plan.write_text(
        "base: costed.yaml\nlevers: {travel.speed_kmh: [30]}\n"
        "targets: ['mean(response_h) <= 4', 'mean(response_h | type=lava) <= 4']\n",
        encoding="utf-8",
    )
    assert main(["frontier", str(plan), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"error: {plan}: targets.1: filter type='lava'")


@pytest.mark.slow
def test_the_jinhua_frontier_file_reads_and_its_base_is_costed():
    from sim.frontier.plan import check_frontier

    assert check_frontier(ROOT / "scenarios" / "jinhua" / "frontier.yaml", []) == 48


def test_frontier_html_report_is_self_contained_and_names_its_answer(run_frontier):
    result, out = run_frontier
    html = (out / "report.html").read_text("utf-8")
    assert "data:image/png;base64," in html and "<script" not in html and "http" not in html
    best = result.cheapest
    if best is None:
        assert "No point of the" in html
    else:
        assert f"The cheapest mix meeting all 2 target(s) is {best['point']}" in html
    assert "mean(response_h) &lt;= 2" in html  # the frontier table's first target
    # `report FOLDER` recognises a frontier folder and rebuilds the page from its files
    (out / "report.html").unlink()
    assert main(["report", str(out)]) == 0
    assert (out / "report.html").read_text("utf-8").count("<tr") == len(result.frontier) + 1
