"""Larson's hypercube queueing model: a cheap analytic screen for a county's layout.

Why: the placement search (issue 18) would otherwise simulate every candidate move;
the hypercube ranks them in milliseconds so only the best few need the simulation.

The model (Larson 1974, "A hypercube queuing model for facility location and
redistricting in urban emergency services", Computers & Operations Research
1(1):67-95): ``N`` units are servers, each free or busy, so the state space is the
2^N corners of a hypercube. Calls arrive from atoms (here townships) as Poisson
streams; a call goes to the first free unit on its atom's preference list (nearest
first); service times are exponential with the unit's mean, which includes travel.
When every unit is busy, the **queue variant** (Larson's, and the simulation's) holds
calls in one infinite FCFS queue and gives each to whichever unit frees first; the
**loss variant** loses them.

``solve(..., method="exact")`` solves the balance equations of the 2^N-state chain
(scipy.sparse), feasible to about 12 units. The all-busy queue is a birth-death tail
with ratio r = lambda / sum(mu) that exchanges flow only with the all-busy corner, and
that exchange balances, so both variants share the 2^N-state solution: the queue
variant only adds the tail's mass P(all busy) * r / (1 - r) (Larson 1974, section 4).

``method="approx"`` is Larson's approximate procedure (Larson 1975, "Approximating the
performance of urban emergency service systems", Operations Research 23(5):845-868):
the utilisations solve rho_i = (V_i + q) / (1 + V_i), where V_i sums, over the atoms
and preference positions k at which unit i stands, lambda_j / mu * Q_{k-1} * the
product of the utilisations of the units before it, and q = lambda P(all busy) / (N mu)
is the queued calls' share. Q_k corrects the independence assumption with the M/M/N
(queue) or Erlang-loss (loss; Jarvis 1985) distribution of the number busy; it is
computed here from its definition, P(k given units busy and another given unit free)
/ (rho^k (1 - rho)), which is Larson's closed form before simplification. The
approximation needs one common service rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import bicgstab, spsolve

VARIANTS = ("queue", "loss")
EXACT_MAX_UNITS = 12


@dataclass(frozen=True)
class HypercubeResult:
    """What the hypercube says about one layout. Rates per hour, times in hours."""

    utilisation: np.ndarray  # [unit] fraction of time busy (workload)
    served_share: np.ndarray  # [unit, atom] fraction of the atom's calls served by the unit
    travel_h: np.ndarray  # [atom] mean travel time of the atom's served calls
    p_all_busy: float  # P(every unit busy): an arriving call waits (queue) or is lost (loss)
    wait_h: float  # mean wait in the queue over all calls (0 for the loss variant)
    arrivals_per_hour: np.ndarray  # [atom]
    variant: str
    method: str

    @property
    def response_h(self) -> np.ndarray:
        """[atom] mean wait plus mean travel: the screen's response time."""
        return self.wait_h + self.travel_h

    @property
    def mean_response_h(self) -> float:
        """Mean response over all calls, weighted by the atoms' arrival rates."""
        lam = self.arrivals_per_hour
        return float(lam @ self.response_h / lam.sum())


def preference_lists(distance: np.ndarray) -> np.ndarray:
    """[atom, rank] unit indices, nearest first (ties to the lower unit index), from a
    [unit, atom] distance (km or hours)."""
    return np.argsort(np.asarray(distance, float).T, axis=1, kind="stable")


def solve(
    arrivals_per_hour: np.ndarray,
    mean_service_h: np.ndarray | float,
    preference: np.ndarray,
    travel_h: np.ndarray,
    *,
    variant: str = "queue",
    method: str = "auto",
) -> HypercubeResult:
    """The hypercube for ``J`` atoms and ``N`` units.

    ``arrivals_per_hour`` [atom]; ``mean_service_h`` per unit (or one for all), travel
    included; ``preference`` [atom, rank] unit indices, every unit once; ``travel_h``
    [unit, atom]. ``method``: "exact", "approx" or "auto" (exact up to
    ``EXACT_MAX_UNITS`` units).
    """
    lam = np.asarray(arrivals_per_hour, float)
    pref = np.asarray(preference, int)
    travel = np.asarray(travel_h, float)
    n = travel.shape[0]
    mu = 1.0 / np.broadcast_to(np.asarray(mean_service_h, float), (n,))
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, not {variant!r}")
    if pref.shape != (len(lam), n) or travel.shape != (n, len(lam)):
        raise ValueError(f"preference must be [atom, unit] {(len(lam), n)}, travel [unit, atom]")
    if variant == "queue" and lam.sum() >= mu.sum():
        raise ValueError(f"unstable: {lam.sum():g} calls/h >= capacity {mu.sum():g}/h")
    if method == "auto":
        method = "exact" if n <= EXACT_MAX_UNITS else "approx"
    if method == "exact":
        busy, share, p_full, wait = _exact(lam, mu, pref, variant)
    elif method == "approx":
        busy, share, p_full, wait = _approx(lam, mu, pref, variant)
    else:
        raise ValueError(f"method must be exact, approx or auto, not {method!r}")
    served = share.sum(axis=0)
    mean_travel = np.divide(
        (share * travel).sum(axis=0), served, out=np.zeros(len(lam)), where=served > 0
    )
    return HypercubeResult(busy, share, mean_travel, p_full, wait, lam, variant, method)


def _first_free(pref: np.ndarray, n: int) -> np.ndarray:
    """[atom, state] the unit a call from the atom goes to in each state (-1: all busy)."""
    states = np.arange(2**n)
    out = np.full((pref.shape[0], len(states)), -1)
    for rank in range(n):
        unit = pref[:, rank : rank + 1]
        free = ((states[None, :] >> unit) & 1) == 0
        out = np.where((out < 0) & free, unit, out)
    return out


def _exact(
    lam: np.ndarray, mu: np.ndarray, pref: np.ndarray, variant: str
) -> tuple[np.ndarray, np.ndarray, float, float]:
    n = len(mu)
    size = 2**n
    states = np.arange(size)
    goes = _first_free(pref, n)  # [atom, state]
    rows, cols, rates = [], [], []
    for j in range(len(lam)):  # arrivals: state -> state with the chosen unit busy
        ok = goes[j] >= 0
        rows.append(states[ok])
        cols.append(states[ok] | (1 << goes[j][ok]))
        rates.append(np.full(ok.sum(), lam[j]))
    for i in range(n):  # completions: a busy unit becomes free
        on = (states >> i) & 1 == 1
        rows.append(states[on])
        cols.append(states[on] & ~(1 << i))
        rates.append(np.full(on.sum(), mu[i]))
    q = sp.coo_matrix(
        (np.concatenate(rates), (np.concatenate(rows), np.concatenate(cols))), (size, size)
    ).tocsr()
    q = q - sp.diags(np.asarray(q.sum(axis=1)).ravel())
    # pi Q = 0 with pi(empty) = 1, dropping its (redundant) balance equation; normalised after
    a = q.T.tocsc()
    p = np.ones(size)
    if size > 1:
        p[1:] = _linear_solve(a[1:, 1:], -a[1:, 0].toarray().ravel())
    p /= p.sum()
    full = size - 1
    tail, wait = 0.0, 0.0
    if variant == "queue":
        r = lam.sum() / mu.sum()
        tail = p[full] * r / (1 - r)  # mass of the states with calls waiting
        waiting = p[full] * r / (1 - r) ** 2  # Lq
        p = p / (1 + tail)
        tail, waiting = tail / (1 + tail), waiting / (1 + tail)
        wait = waiting / lam.sum()
    busy = np.array([p[(states >> i) & 1 == 1].sum() for i in range(n)]) + tail
    share = np.zeros((n, len(lam)))
    for j in range(len(lam)):
        ok = goes[j] >= 0
        share[:, j] = np.bincount(goes[j][ok], weights=p[ok], minlength=n)
    p_full = float(p[full] + tail)
    if variant == "queue":  # a queued call goes to the first unit to finish
        share += p_full * (mu / mu.sum())[:, None]
    return busy, share, p_full, wait


def _linear_solve(a: sp.csc_matrix, b: np.ndarray) -> np.ndarray:
    """Direct (SuperLU, minimum-degree ordering) for small chains; BiCGSTAB for large
    ones, where the hypercube's fill-in makes the direct solve take seconds (12 units:
    0.8 s against 0.01 s), falling back to the direct solve if it does not converge."""
    if a.shape[0] < 2**9:
        return spsolve(a, b, permc_spec="MMD_AT_PLUS_A")
    x, info = bicgstab(a, b, rtol=1e-13, atol=0.0, maxiter=20_000)
    return x if info == 0 else spsolve(a, b, permc_spec="MMD_AT_PLUS_A")


def busy_distribution(lam: float, mu: float, n: int, variant: str) -> np.ndarray:
    """P(j units busy), j = 0..N, of M/M/N (queue; index N is every state with all busy)
    or the Erlang loss system M/M/N/N (loss)."""
    a = lam / mu
    w = np.array([a**j / np.prod(np.arange(1, j + 1, dtype=float)) for j in range(n + 1)])
    if variant == "queue":
        w[n] /= 1 - a / n  # the geometric tail of queue lengths
    return w / w.sum()


def correction_factors(lam: float, mu: float, n: int, variant: str) -> np.ndarray:
    """Larson's Q_k, k = 0..N-1: P(k given units busy and another given unit free),
    over what independent units of utilisation rho would give, rho^k (1 - rho)."""
    p = busy_distribution(lam, mu, n, variant)
    rho = (lam / mu if variant == "queue" else lam * (1 - p[n]) / mu) / n
    out = np.empty(n)
    for k in range(n):
        joint = sum(p[j] * comb(n - k - 1, j - k) / comb(n, j) for j in range(k, n))
        out[k] = joint / (rho**k * (1 - rho))
    return out


def _approx(
    lam: np.ndarray, mu: np.ndarray, pref: np.ndarray, variant: str, tol: float = 1e-12
) -> tuple[np.ndarray, np.ndarray, float, float]:
    if not np.allclose(mu, mu[0]):
        raise ValueError("the hypercube approximation needs one common mean service time")
    n, m, total = len(mu), float(mu[0]), float(lam.sum())
    dist = busy_distribution(total, m, n, variant)
    p_full = float(dist[n])
    qk = correction_factors(total, m, n, variant)
    queued = total * p_full / (n * m) if variant == "queue" else 0.0
    rho = np.full(n, (total * (1 - (variant == "loss") * p_full)) / (n * m))
    for _ in range(10_000):
        reach = _reach(rho, pref, qk)  # [atom, rank] Q * prod of busy before
        v = np.zeros(n)
        np.add.at(v, pref, lam[:, None] * reach / m)
        new = (v + queued) / (1 + v)
        done = np.max(np.abs(new - rho)) < tol
        rho = new
        if done:
            break
    reach = _reach(rho, pref, qk) * (1 - rho[pref])  # P(the rank-k unit gets the call)
    reach *= (1 - p_full) / reach.sum(axis=1, keepdims=True)  # renormalised per atom
    share = np.zeros((n, len(lam)))
    np.add.at(share, (pref, np.arange(len(lam))[:, None]), reach)
    wait = 0.0
    if variant == "queue":
        share += p_full / n
        wait = p_full / (n * m - total)  # Erlang C: Wq = P(wait) / (N mu - lambda)
    return rho, share, p_full, wait


def _reach(rho: np.ndarray, pref: np.ndarray, qk: np.ndarray) -> np.ndarray:
    before = np.cumprod(np.hstack([np.ones((len(pref), 1)), rho[pref][:, :-1]]), axis=1)
    return before * qk[None, :]
