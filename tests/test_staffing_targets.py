"""Several staffing targets that must all hold, workload targets, targets files.

The busy Pujiang case of ``test_staffing.py`` (always on duty, many incidents), shortened:
its response time and its officers' utilisation both fall with officers, so the search's
answer for a bundle can be checked against a brute-force scan of every head count run
through ``sim.run`` on the same seed and judged by ``targets_met``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.errors import ScenarioError
from sim.staffing import load_staffing, parse_target, staff, targets_met
from sim.staffing.evaluate import all_met
from sim.staffing.targets_file import DEFAULT_TARGETS, read_targets_file

ROOT = Path(__file__).resolve().parents[1]
PUJIANG = ROOT / "scenarios" / "examples" / "pujiang_squadrons.yaml"
BUSY = [
    "duty.always=true",
    "horizon_days=35",
    "warmup_days=5",
    "incident_types.wastewater.rate_per_day=0.12",
    "incident_types.air_odour.rate_per_day=0.1",
]
REPS = 3
MOST = 8
SCAN = range(2, MOST)  # up to the answer: every count below it must fail
RESPONSE = "p90(response_h) <= 4"
WORKLOAD = "mean(utilisation) <= 0.15"


@pytest.fixture(scope="module")
def scan() -> dict[int, pd.DataFrame]:
    """Brute force: every head count on its own through ``sim.run``, same seed; per count
    the ``targets_met`` table of both targets."""
    targets = [parse_target(t) for t in (RESPONSE, WORKLOAD)]
    out = {}
    for n in SCAN:
        deployment = f"counties.Pujiang.deployment={{model: squadron, officers: {n}}}"
        res = sim.run(PUJIANG, replications=REPS, overrides=[*BUSY, "units={}", deployment],
                      jobs=1, audit=False)  # fmt: skip
        records = {k: getattr(res, k) for k in ("incidents", "officers", "inspections", "grid")}
        window = (res.scenario["warmup_days"] * 24, res.scenario["horizon_days"] * 24)
        out[n] = targets_met(records, targets, window)
    return out


@pytest.fixture(scope="module")
def searched(tmp_path_factory) -> dict:
    """The search for the response target alone and for both, sharing one run store."""
    out = tmp_path_factory.mktemp("staff")
    common = dict(models=["squadron"], overrides=BUSY, replications=REPS, max_officers=MOST,
                  allocation=False, overwrite=True, out=out, jobs=1, audit=False)  # fmt: skip
    both = staff(PUJIANG, [RESPONSE, WORKLOAD], **common)
    saved = load_staffing(out)
    response = staff(PUJIANG, RESPONSE, **common)  # reuses the runs of the first
    return {"response": response, "both": both, "saved": saved}


def _first_passing(scan: dict[int, pd.DataFrame], texts: tuple[str, ...]) -> int:
    for n, table in scan.items():
        if bool(all_met(table[table["target"].isin(texts)]).iloc[0]):
            return n
    raise AssertionError("the case must have an answer within the scan")


def test_several_targets_answer_is_the_smallest_count_at_which_all_hold(scan, searched):
    brute = _first_passing(scan, (RESPONSE, WORKLOAD))
    assert brute > 2, "the answer must lie inside the range, not at its start"
    row = searched["both"].table.iloc[0]
    assert row["status"] == "met"
    assert int(row["officers_needed"]) == brute
    # the same numbers as the scan, target by target, at the answer
    at = searched["both"].targets.set_index("target")
    for t in scan[brute].itertuples():
        assert at.loc[t.target, "estimate"] == pytest.approx(t.value, rel=1e-12)
        assert at.loc[t.target, "ci95_high"] == pytest.approx(t.ci95_high, rel=1e-12)
        assert bool(at.loc[t.target, "met"])


def test_a_workload_target_can_bind(scan, searched):
    alone = int(searched["response"].table.iloc[0]["officers_needed"])
    both = int(searched["both"].table.iloc[0]["officers_needed"])
    assert alone == _first_passing(scan, (RESPONSE,))
    assert alone < both, "response alone must allow fewer officers than the workload limit"
    row = searched["both"].table.iloc[0]
    assert row["binding"] == WORKLOAD
    at = searched["both"].targets.set_index("target")
    assert bool(at.loc[WORKLOAD, "binding"]) and not bool(at.loc[RESPONSE, "binding"])
    # saved and loaded again, with the targets and which binds
    loaded = searched["saved"]
    assert list(loaded.manifest["targets"]) == [RESPONSE, WORKLOAD]
    assert loaded.targets["binding"].tolist() == [False, True]


def test_workload_targets_parse_with_their_direction():
    t = parse_target("mean(inspections_done_share) >= 0.95")
    assert t.workload and t.lower_limit and not t.strict
    assert t.bound(0.9, 0.99) == 0.9
    assert t.met(0.95) and not t.met(0.94)
    u = parse_target("mean(overtime_h_per_officer_year | county=Pujiang) < 432",
                     counties=("Pujiang",))  # fmt: skip
    assert u.workload and not u.lower_limit and u.strict and u.counties() == ("Pujiang",)
    assert u.met(431) and not u.met(432)
    with pytest.raises(ScenarioError, match="lower limit; write >= or >"):
        parse_target("mean(diverted_absorbed_share) <= 0.5")
    with pytest.raises(ScenarioError, match="use mean"):
        parse_target("median(utilisation) <= 0.8")
    for text in DEFAULT_TARGETS:
        parse_target(text)  # the default bundle is valid


def test_a_targets_file_is_read_strictly(tmp_path):
    good = tmp_path / "t.yaml"
    good.write_text("targets:\n  - p90(response_h) <= 4\n  - mean(utilisation) <= 0.8\n"
                    "notes: a reason\n")  # fmt: skip
    assert read_targets_file(good) == ["p90(response_h) <= 4", "mean(utilisation) <= 0.8"]
    bad = tmp_path / "b.yaml"
    bad.write_text("targets: [p90(response_h) <= 4]\nlimit: 3\n")
    with pytest.raises(ScenarioError) as err:
        read_targets_file(bad)
    assert str(err.value).startswith(f"{bad}: limit: unknown field 'limit'")


def test_workload_quantities_from_records_by_hand():
    """Two counties, two replications, tables written by hand."""
    officers = pd.DataFrame(
        {
            "replication": [0, 0, 0, 1, 1, 1],
            "unit": ["a", "a", "b", "a", "a", "b"],
            "county": ["A", "A", "B", "A", "A", "B"],
            "utilisation": [0.2, 0.4, 0.5, 0.3, 0.5, 0.7],
            "overtime_hours": [10.0, 30.0, 0.0, 20.0, 40.0, 8.0],
            "diverted_hours": [5.0, 5.0, 0.0, 3.0, 3.0, 2.0],
        }
    )
    inspections = pd.DataFrame(
        {
            "replication": [0, 0, 0, 1, 1],
            "township": ["x", "x", "y", "x", "y"],
            "unit": ["a", "a", "b", "a", "b"],
            "done": [True, False, True, True, False],
            "in_warmup": [False, False, False, False, True],
        }
    )
    grid = pd.DataFrame(
        {
            "replication": [0, 0, 1, 1],
            "township": ["x", "y", "x", "y"],
            "county": ["A", "B", "A", "B"],
            "diverted_hours_left": [10.0, 0.0, 0.0, 2.0],
        }
    )
    records = {"officers": officers, "inspections": inspections, "grid": grid}
    half_year = (0.0, 24 * 365 / 2)

    def values(text: str) -> dict[tuple[str, int], float]:
        df = parse_target(text).values_of(records, half_year)
        return {(r.county, r.replication): r.value for r in df.itertuples()}

    assert values("mean(utilisation) <= 1") == pytest.approx(
        {("A", 0): 0.3, ("B", 0): 0.5, ("A", 1): 0.4, ("B", 1): 0.7}
    )
    assert values("mean(overtime_h_per_officer_year) <= 1") == pytest.approx(
        {("A", 0): 40.0, ("B", 0): 0.0, ("A", 1): 60.0, ("B", 1): 16.0}
    )
    assert values("mean(inspections_done_share) >= 1") == pytest.approx(
        {("A", 0): 0.5, ("B", 0): 1.0, ("A", 1): 1.0}  # B's only inspection of 1: warm-up
    )
    assert values("mean(diverted_absorbed_share) >= 1") == pytest.approx(
        {("A", 0): 0.5, ("B", 0): 1.0, ("A", 1): 1.0, ("B", 1): 0.5}
    )
    table = targets_met(records, [parse_target("mean(inspections_done_share) >= 0.9")],
                        half_year, counties=["A", "B", "C"])  # fmt: skip
    met = table.set_index("county")
    assert not met.loc["A", "met"] and met.loc["B", "met"]
    assert met.loc["C", "met"] and not met.loc["C", "measured"]  # nothing to inspect: vacuous
