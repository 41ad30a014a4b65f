"""The staffing search (``sim.staff`` / ``enforcement-sim staff``).

The busy Pujiang case below (always on duty, four times the example's incidents)
has a response time that falls steadily with officers, so the search's answer can
be checked against a brute-force scan of every head count on the same seed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.errors import ScenarioError
from sim.scenario import load_scenario
from sim.staffing import load_staffing, parse_target, staff
from sim.staffing.probes import Estimate, Probes, counties_independent, estimate
from sim.staffing.search import CountySearch
from sim.world import build_world

ROOT = Path(__file__).resolve().parents[1]
PUJIANG = ROOT / "scenarios" / "examples" / "pujiang_squadrons.yaml"
JINHUA = ROOT / "scenarios" / "jinhua" / "baseline.yaml"
TYPES = ("wastewater", "air_odour", "solid_waste", "noise")
BUSY = [
    "duty.always=true",
    "horizon_days=150",
    "warmup_days=10",
    "incident_types.wastewater.rate_per_day=0.12",
    "incident_types.air_odour.rate_per_day=0.1",
]
REPS = 4


def _scan(target_text: str, most: int) -> list[tuple[int, float, float]]:
    """Brute force: every head count run on its own through ``sim.run``, same seed."""
    target = parse_target(target_text, types=TYPES, counties=("Pujiang",))
    out = []
    for n in range(2, most + 1):
        deployment = f"counties.Pujiang.deployment={{model: squadron, officers: {n}}}"
        res = sim.run(PUJIANG, replications=REPS, overrides=[*BUSY, "units={}", deployment])
        values = target.values(res.incidents, res.scenario["horizon_days"] * 24)
        value, _, high = estimate(target, values)
        out.append((n, value, high))
    return out


@pytest.mark.parametrize(
    "target",
    ["p90(response_h) <= 3", "mean(response_h) <= 1", "p90(response_h | type=wastewater) < 2.5"],
)
def test_search_agrees_with_a_brute_force_scan_on_the_same_random_numbers(target):
    most = 12
    scan = _scan(target, most)
    limit = parse_target(target, types=TYPES).limit
    strict = "<=" not in target
    passing = [n for n, _, high in scan if (high < limit if strict else high <= limit)]
    assert passing, "the case must have an answer within the range"
    brute = passing[0]
    assert 2 < brute < most, "the case must put the answer inside the range, not at an end"
    found = staff(
        PUJIANG, target, models=["squadron"], overrides=BUSY, replications=REPS,
        max_officers=most, allocation=False,
    )  # fmt: skip
    row = found.table.iloc[0]
    assert row["status"] == "met"
    assert int(row["officers_needed"]) == brute
    # the same numbers as the scan, not merely the same answer
    curve = found.curves.set_index("officers")
    for n, value, high in scan:
        if n in curve.index:
            assert curve.loc[n, "estimate"] == pytest.approx(value, rel=1e-12)
            assert curve.loc[n, "ci95_high"] == pytest.approx(high, rel=1e-12)
    # bisection, not a full scan
    assert len(curve) < most - 1


def test_an_unreachable_target_says_so_within_the_maximum():
    found = staff(
        PUJIANG, "p90(response_h) <= 0.01", models=["squadron"], overrides=BUSY,
        replications=2, max_officers=6, allocation=False,
    )  # fmt: skip
    row = found.table.iloc[0]
    assert row["status"] == "not reachable up to 6"
    assert pd.isna(row["officers_needed"])
    assert found.curves["officers"].max() == 6
    assert pd.isna(found.totals.iloc[0]["officers_needed"])


def test_a_filter_with_no_incidents_is_reported_not_searched():
    found = staff(
        PUJIANG, "p90(response_h | type=noise, severity=major) <= 4", models=["central"],
        overrides=[*BUSY, "incident_types.noise.rate_per_day=0"], replications=2,
        allocation=False,
    )  # fmt: skip
    assert found.table.iloc[0]["status"] == "no incidents"


def _run(search: CountySearch, curve: dict[int, float], limit: float) -> list[list[int]]:
    """Drive a search over a known curve; returns the rounds of counts it asked for."""
    rounds = []
    known = {}
    while wanted := search.wants(lambda n: known.get(n)):
        rounds.append(wanted)
        for n in wanted:
            v = curve[n]
            known[n] = Estimate(v, v, v, 1.0, v <= limit)
    return rounds


def test_search_bisects_inside_the_first_layout_family_that_meets_the_target():
    families = [(2, 3), (4, 5), (6, 60)]
    # a split zone makes 4-5 officers worse than 3; 60 officers are plenty
    curve = {n: 5.0 for n in range(2, 61)} | {3: 3.9, 4: 6.0, 5: 6.0}
    curve |= {n: 4.0 - (n - 6) * 0.05 for n in range(6, 61)}
    s = CountySearch(families, lambda e: e.met, start=10)
    rounds = _run(s, curve, limit=3.95)
    assert s.answer == 3  # the smallest meeting count, in the first family
    # every small family's largest count, and the present count in the last, in one round
    assert rounds[0] == [3, 5, 10]
    s = CountySearch(families, lambda e: e.met, start=10)
    rounds = _run(s, curve, limit=2.0)
    assert s.answer == 46  # 4 - 40 * 0.05 = 2.0
    # doubling 10, 20, 40, 60 brackets it in (40, 60], then bisection: not a scan
    assert [r[-1] for r in rounds[:4]] == [10, 20, 40, 60]
    assert len(rounds) <= 4 + 5
    s = CountySearch(families, lambda e: e.met, start=10)
    rounds = _run(s, curve, limit=0.5)
    assert s.done and s.answer is None and not s.empty
    assert max(max(r) for r in rounds) == 60  # not reachable: the maximum was tried


def test_families_follow_the_layout_generator(busy_probes):
    fam = busy_probes.families("squadron", 2, 12)["Pujiang"]
    # 15 townships in zones of at most 3: 5 zones of 2 from 10 officers; fewer below
    assert fam == [(2, 3), (4, 5), (6, 7), (8, 9), (10, 12)]
    assert busy_probes.families("central", 2, 12)["Pujiang"] == [(2, 12)]


@pytest.fixture()
def busy_probes():
    loaded = load_scenario(PUJIANG, overrides=BUSY)
    target = parse_target("p90(response_h) <= 3", types=TYPES)
    options = sim.RunOptions(seed=1, replications=1)
    return Probes(loaded, target, ["Pujiang"], ex=None, options=options, base={"Pujiang": 9},
                  independent=True)  # fmt: skip


# --- counties do not share officers or random numbers ------------------------------------

SHORT = ["horizon_days=90", "warmup_days=5"]


def test_one_county_s_head_count_leaves_every_other_county_s_records_unchanged():
    def incidents(officers: int) -> pd.DataFrame:
        # every severity is called out at night: call-out delays are drawn all the time
        over = [*SHORT, f"counties.Yiwu.deployment.officers={officers}",
                "duty.on_call.severities=[minor, moderate, major]"]  # fmt: skip
        res = sim.run(JINHUA, replications=1, overrides=over)
        return res.incidents

    a, b = incidents(14), incidents(2)
    others_a = a[a["county"] != "Yiwu"].reset_index(drop=True)
    others_b = b[b["county"] != "Yiwu"].reset_index(drop=True)
    cols = ["reported_h", "team_formed_h", "arrived_h", "done_h", "travel_km", "callout"]
    pd.testing.assert_frame_equal(others_a[cols], others_b[cols])
    yiwu = (a["county"] == "Yiwu").to_numpy()
    assert not np.array_equal(
        a.loc[yiwu, "arrived_h"].to_numpy(), b.loc[yiwu, "arrived_h"].to_numpy(), equal_nan=True
    ), "the change must matter where it was made"


def test_mutual_aid_across_county_lines_couples_counties():
    base = load_scenario(JINHUA, overrides=SHORT)
    assert counties_independent(build_world(base))
    lent = load_scenario(
        JINHUA, overrides=[*SHORT, "enforcement.shortfall_policy=borrow",
                           "enforcement.mutual_aid.max_km=500"],
    )  # fmt: skip
    assert not counties_independent(build_world(lent))
    near = load_scenario(
        JINHUA, overrides=[*SHORT, "enforcement.shortfall_policy=borrow",
                           "enforcement.mutual_aid.max_km=1"],
    )  # fmt: skip
    assert counties_independent(build_world(near))
    with pytest.raises(ScenarioError, match="mutual aid crosses county lines"):
        staff(lent, "p90(response_h) <= 4", models=["central"], replications=1)
    # the search still runs, one county off its present head count at a time
    found = staff(lent, TWO_COUNTIES, models=["squadron"], replications=2, max_officers=14,
                  allocation=False)  # fmt: skip
    assert not found.manifest["independent_counties"]
    assert set(found.curves["county"]) == {"Pujiang", "Wuyi"}
    assert (found.table["status"] == "met").all()


# --- allocation --------------------------------------------------------------------------

TWO_COUNTIES = "p90(response_h | severity=major, county=Pujiang/Wuyi) <= 4.5"


@pytest.fixture(scope="module")
def allocation(tmp_path_factory) -> tuple[sim.staffing.Staffing, Path]:
    out = tmp_path_factory.mktemp("staff")
    found = staff(
        JINHUA, TWO_COUNTIES, models=["squadron"], overrides=SHORT, replications=2,
        max_officers=14, total=16, out=out,
    )  # fmt: skip
    return found, out


def test_allocation_is_the_best_worst_county_within_the_total(allocation):
    found, _ = allocation
    front = found.allocation
    assert front["total_officers"].is_monotonic_increasing
    assert front["worst_ci95_high"].is_monotonic_decreasing  # more officers, better worst
    per_county = front[["officers.Pujiang", "officers.Wuyi"]].sum(axis=1)
    assert (per_county == front["total_officers"]).all()
    chosen = front[front["chosen"]]
    assert len(chosen) == 1 and chosen["total_officers"].item() <= 16
    # brute force over the measured curves: no split of at most 16 officers whose counts
    # were both measured has a better worst county than the one chosen
    curve = found.curves.set_index(["county", "officers"])["ci95_high"]
    best = min(
        max(curve[("Pujiang", a)], curve[("Wuyi", b)])
        for a in curve["Pujiang"].index
        for b in curve["Wuyi"].index
        if a + b <= 16
    )
    assert chosen["worst_ci95_high"].item() == pytest.approx(best)
    # the frontier passes through the answers: every county meets the target first at
    # the city total the head-count search found
    assert front[front["all_met"]]["total_officers"].min() == found.totals["officers_needed"][0]


def test_a_second_search_in_the_same_folder_reuses_every_run(allocation):
    found, out = allocation
    again = staff(
        JINHUA, TWO_COUNTIES, models=["squadron"], overrides=SHORT, replications=2,
        max_officers=14, total=16, out=out,
    )  # fmt: skip
    assert again.manifest["runs"] == 0 and again.manifest["runs_reused"] > 0
    pd.testing.assert_frame_equal(again.table, found.table)
    pd.testing.assert_frame_equal(again.allocation, found.allocation)
    pd.testing.assert_frame_equal(again.curves, found.curves)
    loaded = load_staffing(out)
    assert loaded.target == TWO_COUNTIES
    assert list(loaded.table["county"]) == ["Pujiang", "Wuyi"]
    assert loaded.table["officers_needed"].dtype == "Int64"


def test_a_total_that_cannot_be_spread_is_refused():
    with pytest.raises(ScenarioError, match="cannot be spread over 2 counties"):
        staff(JINHUA, TWO_COUNTIES, models=["squadron"], overrides=SHORT, total=3)


# --- targets -----------------------------------------------------------------------------


def test_target_grammar():
    t = parse_target(
        "p95(response_h | severity=major/moderate, county=Chengdong (Wucheng)) < 2",
        counties=("Chengdong (Wucheng)",),
    )
    assert (t.stat, t.q, t.quantity, t.limit, t.strict) == ("quantile", 0.95, "response_h", 2, True)
    assert dict(t.filters) == {
        "severity": ("major", "moderate"),
        "county": ("Chengdong (Wucheng)",),
    }
    assert parse_target("median(team_wait_h) <= 1").q == 0.5
    assert parse_target("mean(two_person_breach)<=0.05").stat == "mean"
    assert not t.met(float("nan")) and t.met(1.99) and not t.met(2.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("p90(respons_h) <= 4", "unknown quantity 'respons_h'"),
        ("p900(response_h) <= 4", "unknown statistic 'p900'"),
        ("p90(response_h | severity=majr) <= 4", "did you mean 'major'?"),
        ("p90(response_h | colour=red) <= 4", "unknown filter 'colour'"),
        ("p90(response_h) >= 4", "write <= or <"),
        ("p90(response_h) <= four", "limit 'four' is not a number"),
        ("p90(response_h) <= inf", "must be a finite number"),
        ("response_h <= 4", "cannot read"),
        ("p90(response_h | severity) <= 4", "write KEY=VALUE"),
        ("__import__('os')(x) <= 1", "cannot read"),
    ],
)
def test_bad_targets_are_one_line_errors(text, message):
    with pytest.raises(ScenarioError, match=message.replace("?", r"\?")) as err:
        parse_target(text, types=TYPES)
    assert "\n" not in str(err.value)


# --- the command -------------------------------------------------------------------------


def test_staff_command_writes_tables_and_a_report(tmp_path, capsys):
    from sim.cli import main

    out = tmp_path / "staff"
    argv = ["staff", str(PUJIANG), "--target", "p90(response_h) <= 3", "--model", "squadron",
            "--model", "central", "--replications", "2", "--jobs", "1", "--out", str(out),
            "--max-officers", "12", *sum((["--set", s] for s in BUSY), [])]  # fmt: skip
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "city total" in text and "allocation (squadron" in text
    assert text.strip().splitlines()[-1] == f"report written to {out / 'report.html'}"
    for name in ("staffing.csv", "totals.csv", "curves.csv", "allocation.csv", "manifest.json"):
        assert (out / name).is_file(), name
    table = pd.read_csv(out / "staffing.csv")
    assert set(table["model"]) == {"squadron", "central"}
    assert main(["report", str(out)]) == 0  # the report verb knows a staffing folder
    assert "p90(response_h) &lt;= 3" in (out / "report.html").read_text()


def test_answers_show_what_the_target_leaves_out(allocation):
    found, _ = allocation
    for col in ("response_h_mean", "share_unserved", "utilisation_mean"):
        assert found.table[col].notna().all(), col
    for county, curve in found.curves.groupby("county"):
        curve = curve.sort_values("officers")
        # officers get less busy as the county gets more of them
        assert curve["utilisation_mean"].iloc[0] > curve["utilisation_mean"].iloc[-1], county
