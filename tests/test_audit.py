"""The audit passes on real runs and catches each kind of corrupted record."""

from __future__ import annotations

import pytest
from helpers import example_raw, simulate_raw

from sim.audit import AuditError, audit

WINDOW = (30 * 24.0, 365 * 24.0)


@pytest.fixture(scope="module")
def rec():
    return simulate_raw(example_raw(), seed=12)


def check(inc, off, asg, policy="wait"):
    audit(inc, off, asg, shortfall_policy=policy, window_hours=WINDOW)


def test_a_real_run_passes(rec):
    check(rec.incidents, rec.officers, rec.assignments)


def corrupt_times(r):
    inc = r.incidents.copy()
    k = inc.index[inc["arrived_h"].notna()][5]
    inc.loc[k, "arrived_h"] = inc.loc[k, "team_formed_h"] - 1.0
    return inc, r.officers, r.assignments


def drop_incident(r):
    return r.incidents.drop(index=r.incidents.index[10]), r.officers, r.assignments


def wrong_status(r):
    inc = r.incidents.copy()
    k = inc.index[inc["status"] == "resolved"][0]
    inc.loc[k, "status"] = "waiting"
    return inc, r.officers, r.assignments


def double_booking(r):
    asg = r.assignments.copy()
    first = asg[asg["kind"] == "incident"].iloc[[0]].copy()
    first["start_h"] += 0.1
    first["job"] = first["job"] + 1
    import pandas as pd

    return r.incidents, r.officers, pd.concat([asg, first], ignore_index=True)


def lone_officer(r):
    inc = r.incidents.copy()
    k = inc.index[inc["team_formed_h"].notna()][3]
    inc.loc[k, "officers_present"] = 1
    return inc, r.officers, r.assignments


def lost_hours(r):
    off = r.officers.copy()
    off.loc[0, "onsite_hours"] += 5.0
    return r.incidents, off, r.assignments


@pytest.mark.parametrize(
    ("corrupt", "message"),
    [
        (corrupt_times, "timestamps out of order"),
        (drop_incident, "vanished"),
        (wrong_status, "status disagrees"),
        (double_booking, "busy twice at once"),
        (lone_officer, "below the legal size"),
        (lost_hours, "do not add up"),
    ],
)
def test_each_corruption_is_caught(rec, corrupt, message):
    with pytest.raises(AuditError, match=message):
        check(*corrupt(rec))


def test_go_alone_teams_are_allowed_only_under_go_alone(rec):
    inc, off, asg = lone_officer(rec)
    with pytest.raises(AuditError, match="officers_present differs"):
        check(inc, off, asg, policy="go_alone")  # the count must still match the crew


def test_a_failed_audit_fails_the_run_loudly(tmp_path, monkeypatch):
    from conftest import EXAMPLES

    import sim
    import sim.experiment.experiment as ex

    real = ex.simulate

    def corrupted(world, seed, replication, **kw):
        rec = real(world, seed, replication, **kw)
        rec.officers.loc[0, "onsite_hours"] += 5.0
        return rec

    monkeypatch.setattr(ex, "simulate", corrupted)
    res = sim.run(EXAMPLES / "pujiang_squadrons.yaml", replications=1, jobs=1,
                  overrides=["horizon_days=60", "warmup_days=5"])  # fmt: skip
    (failure,) = res.manifest["failures"]
    assert "AuditError" in failure["traceback"]
    ok = sim.run(EXAMPLES / "pujiang_squadrons.yaml", replications=1, jobs=1, audit=False,
                 overrides=["horizon_days=60", "warmup_days=5"])  # fmt: skip
    assert not ok.manifest["failures"]
