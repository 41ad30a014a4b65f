"""From one replication's records to the measured values, and from replications to
a verdict.

Statistical checks (P(wait), mean wait, mean number waiting, officers busy)
------------------------------------------------------------------------------
Each replication is an independent run that starts empty, drops a warm-up of at
least five relaxation times and measures over a window of many more, so its
mean is close to normal and the replication means are i.i.d. The interval is
the two-sided Student-t interval over replications at ``LEVEL`` (99.8%):
with 32 such checks in the suite, Bonferroni bounds the chance that any correct
one fails by bad luck (say after a change of seeds) by 6.4%, and it is far
less, since a case's four checks move together. A check passes when

    |mean - exact| <= t * s / sqrt(R) + allowance * |exact|

The half-width shrinks as 1/sqrt(total measured time), so a longer run is a
tighter test. The allowance is the systematic error the interval cannot see,
derived from the run, not tuned to it:

* the start from empty: the mean queue approaches equilibrium from below with
  time constant tau; the mass it still misses after the warm-up w is at most
  about L * tau * exp(-w / tau), a relative bias of tau * exp(-w / tau) / T over
  a window T (a generous bound: the missing mass of the heavy-traffic diffusion
  started empty is tau / 4 before any warm-up);
* the end of the window: reports still waiting at the horizon have no wait yet
  and drop out of the mean wait, the longest waits at that; there are about Lq
  of them among lambda * T, and up to c more jobs are cut short on site, so the
  allowance takes (Lq + c) / (lambda T).

Little's law (every replication)
--------------------------------
On one sample path L * T = sum of the time each job spends in the window, and
lambda * W * T = the same sum over the jobs that arrived in it: the two differ
only by jobs straddling the window's ends. Each such job moves the balance by
at most the longest stay seen, so |L - lambda W| <= (N(start) + N(end)) * max
stay / T is a bound, not a statistic, and it is checked in every replication.
It is applied twice: to reports waiting (L from the queue-length integral, W
from the reports' own waits) and to officers on site (L from the officers'
own hour books, which the model keeps apart from the incident records, W from
the incidents' on-site spans times the officers sent). A failure means the
records disagree with themselves: a job counted twice or not at all, a wait
written at the wrong time, hours booked outside the window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .cases import Case

LEVEL = 0.998
METRICS = {
    "p_wait": "P(wait)",
    "wait_h": "mean wait (h)",
    "waiting": "mean number waiting",
    "busy_officers": "officers busy on site",
}
LITTLE = {
    "little_queue": "Little's law, reports waiting",
    "little_onsite": "Little's law, officers on site",
}


def _integral(
    opened: np.ndarray, closed: np.ndarray, weight: np.ndarray, lo: float, hi: float
) -> float:
    """Integral over [lo, hi] of the number of open stays (NaN close = open at ``hi``),
    by sweeping the step function: signed, so a stay that closes before it opens
    shows up as negative time instead of vanishing."""
    closed = np.where(np.isnan(closed), hi, closed)
    t = np.clip(np.concatenate([opened, closed]), lo, hi)
    step = np.concatenate([weight, -weight])
    order = np.argsort(t, kind="stable")
    level = np.cumsum(step[order])
    return float(np.sum(level[:-1] * np.diff(t[order])))


def _edge_bound(
    opened: np.ndarray, closed: np.ndarray, weight: np.ndarray, lo: float, hi: float
) -> float:
    """Most the stays straddling ``lo`` or ``hi`` can separate L from lambda W."""
    end = np.where(np.isnan(closed), hi, closed)
    straddling = ((opened < lo) & (end > lo)).sum() + ((opened < hi) & np.isnan(closed)).sum()
    longest = float(np.max((np.minimum(end, hi) - opened) * weight, initial=0.0))
    return straddling * longest / (hi - lo)


def measure(
    incidents: pd.DataFrame, officers: pd.DataFrame, window: tuple[float, float]
) -> dict[str, Any]:
    """One replication's values, over the window the scenario itself declares.

    Arrivals are the reports the model flags as after the warm-up; the queue
    length is integrated over the window from every report, warm-up ones too.
    """
    lo, hi = window
    t = hi - lo
    inc = incidents[incidents["reported_h"].notna()]
    reported = inc["reported_h"].to_numpy(float)
    formed = inc["team_formed_h"].to_numpy(float)
    mine = ~inc["in_warmup"].to_numpy(bool)
    served = mine & ~np.isnan(formed)
    wait = formed - reported
    ones = np.ones(len(inc))
    waiting = _integral(reported, formed, ones, lo, hi) / t
    lam = mine.sum() / t

    arrived = inc["arrived_h"].to_numpy(float)
    done = inc["done_h"].to_numpy(float)
    team = inc["officers_present"].to_numpy(float)
    on_site = ~np.isnan(arrived)
    started = on_site & (arrived >= lo)
    stint = ((done - arrived) * team)[started & ~np.isnan(done)]
    books = float(officers["onsite_hours"].sum()) / t  # the model's own ledger
    a, d, k = arrived[on_site], done[on_site], team[on_site]

    return {
        "p_wait": float(((wait > 0) | np.isnan(formed))[mine].mean()),
        "wait_h": float(wait[served].mean()),
        "waiting": waiting,
        "busy_officers": books,
        "little_queue": (
            waiting - lam * float(wait[served].mean()),
            _edge_bound(reported, formed, ones, lo, hi),
        ),
        "little_onsite": (
            books - started.sum() / t * float(stint.mean()),
            _edge_bound(a, d, k, lo, hi),
        ),
    }


@dataclass(frozen=True)
class Check:
    """One row of the validation table."""

    case: str
    family: str
    metric: str  # key of METRICS or LITTLE (or "odd_officer")
    quantity: str
    exact: float
    value: float
    low: float
    high: float
    allowance: float  # absolute, added to the interval's half-width
    passed: bool
    kind: str = "stat"  # "stat" (interval), "little" (sample-path bound), "identity"

    @classmethod
    def of(cls, case: Case, metric: str, quantity: str, **found: Any) -> Check:
        """A check of ``case`` (its key and family) on ``metric``, with what was found."""
        return cls(case=case.key, family=case.family, metric=metric, quantity=quantity, **found)

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2


def allowance(case: Case) -> float:
    """Relative systematic allowance for a case, as derived in the module docstring."""
    t = case.measure_h
    start = case.tau_h * math.exp(-case.warmup_days * 24 / case.tau_h) / t
    end = (case.exact.waiting + case.officers) / (case.arrivals_per_hour * t)
    return start + end


def judge(case: Case, reps: list[dict[str, Any]]) -> list[Check]:
    """The case's checks from its replications' measured values.

    Tolerances come from ``case`` (the run it claims to be), values from ``reps``
    (the run that happened): that is what lets a test feed in a broken run.
    """
    out = []
    rel = allowance(case)
    n = len(reps)
    tq = float(stats.t.ppf(0.5 + LEVEL / 2, n - 1))
    for key, label in METRICS.items():
        x = np.array([r[key] for r in reps], dtype=float)
        exact = float(getattr(case.exact, key))
        mean = float(x.mean())
        half = tq * float(x.std(ddof=1)) / math.sqrt(n)
        slack = rel * abs(exact)
        passed = bool(abs(mean - exact) <= half + slack)
        out.append(Check.of(case, key, label, exact=exact, value=mean, low=mean - half,
                            high=mean + half, allowance=slack, passed=passed))  # fmt: skip
    for key, label in LITTLE.items():
        gaps = np.array([r[key][0] for r in reps])
        bounds = np.array([r[key][1] for r in reps])
        worst = int(np.argmax(np.abs(gaps) / np.maximum(bounds, 1e-9)))
        bound = float(bounds[worst])
        passed = bool(np.all(np.abs(gaps) <= bounds + 1e-9))
        out.append(Check.of(case, key, label, exact=0.0, value=float(gaps[worst]), low=-bound,
                            high=bound, allowance=0.0, passed=passed, kind="little"))  # fmt: skip
    return out
