"""The two searches: fewest officers per county, and the best use of a fixed total.

Both read estimates from ``Probes`` and ask it for more in rounds; each round is one
experiment (variants x replications over the executor).

**Head counts.** More officers can make a county *slower*: the layout generator cuts
a county into more zones as its staff grows, and a zone of two officers has no one
to spare (the article's complaint about stationed offices). So the search does not
assume the indicator falls with officers across layouts, only within one: head
counts with the same zone count form a *family* (``layouts.zone_count``). It
measures the largest count of every family at once, takes the first family whose
largest count meets the target, and bisects inside it. The answer is the smallest
count meeting the target under that assumption; it is never a full scan.

**Allocation.** For a fixed city-wide total, the allocation that makes the worst
county best (minimax) is found exactly from the same searches, on the first target with
every other target holding: for a threshold theta, each county needs N_c(theta)
officers to bring its indicator's upper bound under theta; the smallest theta whose
total fits is the answer, found by bisection over the upper bounds measured. Every
threshold tried is a point of the frontier (city officers against the worst county's
indicator), so the marginal gain of each step, and the diminishing returns, can be read
off.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .probes import Estimate, Probes

Met = Callable[[Estimate], bool]


class CountySearch:
    """One (model, county) search, as a function of what has been measured.

    Every family but the last is one or two head counts (a zone per team); the last
    runs from one team per zone to the maximum, and is bracketed by doubling from the
    county's present head count (``start``) rather than measured at the maximum, which
    costs the most to simulate and is rarely needed.
    """

    def __init__(self, families: list[tuple[int, int]], met: Met, start: int) -> None:
        self.families = families
        self.met = met
        lo, most = families[-1]
        n = min(most, max(lo, start))
        self._doubling = [n]
        while n < most:
            n = min(most, 2 * n)
            self._doubling.append(n)
        self.answer: int | None = None
        self.empty = False
        self.done = False
        self._lo: int | None = None  # largest failing count of the chosen family (or below)
        self._hi: int | None = None  # smallest meeting count of the chosen family

    def wants(self, known: Callable[[int], Estimate | None]) -> list[int]:
        """Head counts to measure next; [] when the search is over."""
        if self.done:
            return []
        if self._hi is None:
            chosen = self._choose(known)
            if isinstance(chosen, list):
                return chosen
            if self.done:
                return []
        assert self._lo is not None and self._hi is not None
        while self._hi - self._lo > 1:
            mid = (self._lo + self._hi) // 2
            est = known(mid)
            if est is None:
                return [mid]
            if self.met(est):
                self._hi = mid
            else:
                self._lo = mid
        self.done = True
        self.answer = self._hi
        return []

    def _choose(self, known: Callable[[int], Estimate | None]) -> list[int] | None:
        """Find the first family that meets the target (sets the bisection bounds), or
        say what to measure first."""
        lo_last = self.families[-1][0]
        last_fail, last_ok, need = lo_last - 1, None, None
        for n in self._doubling:
            est = known(n)
            if est is None:
                need = n
                break
            if self.met(est):
                last_ok = n
                break
            last_fail = n
        tops = [hi for _, hi in self.families[:-1]]
        missing = [n for n in tops if known(n) is None]
        if missing:
            return missing + ([need] if need is not None else [])
        for lo, hi in self.families[:-1]:
            est = known(hi)
            assert est is not None
            if est.empty:
                self.done = self.empty = True  # no incident of the target's kind
                return None
            if self.met(est):
                self._lo, self._hi = lo - 1, hi
                return None
        if need is not None:
            return [need]
        first = known(self._doubling[0])
        if first is not None and first.empty:
            self.done = self.empty = True
        elif last_ok is None:
            self.done = True  # not reachable up to the most
        else:
            self._lo, self._hi = last_fail, last_ok
        return None


def run_searches(
    probes: Probes,
    families: dict[tuple[str, str], list[tuple[int, int]]],
    met: Met,
) -> dict[tuple[str, str], CountySearch]:
    """Run every (model, county) search together, one round of probes at a time."""
    searches = {(m, c): CountySearch(fam, met, probes.base[c]) for (m, c), fam in families.items()}
    while not probes.failures:
        wanted: dict[tuple[str, str], list[int]] = {}
        for (m, c), s in searches.items():
            got = s.wants(lambda n, m=m, c=c: probes.estimates.get((m, c, n)))
            if got:
                wanted[(m, c)] = got
        if not wanted:
            break
        probes.probe(_requests(probes, wanted, families))
    return searches


def _requests(
    probes: Probes,
    wanted: dict[tuple[str, str], list[int]],
    families: dict[tuple[str, str], list[tuple[int, int]]],
) -> list[tuple[str, dict[str, int]]]:
    """Probe variants for one round: with independent counties, the j-th variant of a
    model holds every county at its j-th wanted count (others at a count worth having
    on their curve); otherwise one variant per county and count, the rest at base."""
    out = []
    for m in dict.fromkeys(k[0] for k in wanted):
        mine = {c: ns for (mm, c), ns in wanted.items() if mm == m}
        if not probes.independent:
            out += [(m, {**probes.base, c: n}) for c, ns in mine.items() for n in ns]
            continue
        for j in range(max(len(ns) for ns in mine.values())):
            counts = {}
            for c in probes.counties:
                ns = mine.get(c, [])
                counts[c] = ns[j] if j < len(ns) else _filler(probes, m, c, families[(m, c)])
            out.append((m, counts))
    return out


def _filler(probes: Probes, model: str, county: str, families: list[tuple[int, int]]) -> int:
    """A county with nothing to measure still takes part in the run; put it at an
    unmeasured count next to its present one, so the run adds a point to its curve."""
    least, most = families[0][0], families[-1][1]
    centre = min(most, max(least, probes.base[county]))
    for step in range(most - least + 1):
        for n in (centre + step, centre - step):
            if least <= n <= most and (model, county, n) not in probes.estimates:
                return n
    return centre


def frontier(
    probes: Probes,
    model: str,
    total: int,
    families: dict[tuple[str, str], list[tuple[int, int]]],
    points: int = 12,
) -> pd.DataFrame:
    """The minimax allocation of ``total`` officers, with every frontier point tried.

    One row per threshold tried, sorted by officers: the allocation meeting it, the
    worst county's upper bound there, and the gain per officer from the row before.
    ``points`` more thresholds, spread between the least allocation and the answer, fill
    in the frontier. ``chosen`` marks the best allocation that fits ``total`` (spare
    officers, if any, are reported, not placed: none would lower the worst county).
    """
    counties = probes.counties
    fam = {c: families[(model, c)] for c in counties}
    least = sum(f[0][0] for f in fam.values())
    tried: dict[float, dict[str, int] | None] = {}

    def needs(theta: float) -> dict[str, int] | None:
        if theta not in tried:
            searches = run_searches(
                probes,
                {(model, c): fam[c] for c in counties},
                lambda e: e.high <= theta and e.others_met,
            )
            alloc = {c: s.answer for (_, c), s in searches.items() if not s.empty}
            ok = all(n is not None for n in alloc.values()) and not probes.failures
            tried[theta] = alloc if ok else None  # type: ignore[assignment]
        return tried[theta]

    if least > total:
        return pd.DataFrame()
    needs(np.inf)  # the least each county can act with: the frontier's first point
    limit = probes.target.limit
    needs(np.nextafter(limit, -np.inf) if probes.target.strict else limit)  # the answers
    low, high = -np.inf, np.inf  # total needed: above `total` at low, within it at high
    while not probes.failures:
        highs = sorted(
            {e.high for (m, _, _), e in probes.estimates.items()
             if m == model and np.isfinite(e.high) and low < e.high < high}
        )  # fmt: skip
        if not highs:
            break
        theta = highs[len(highs) // 2]
        alloc = needs(theta)
        if alloc is not None and sum(alloc.values()) <= total:
            high = theta
        else:
            low = theta
    # more points between the least allocation and the answer, for the diminishing returns
    start = tried[np.inf]
    top = max((probes.estimates[(model, c, n)].high for c, n in (start or {}).items()),
              default=np.nan)  # fmt: skip
    between = sorted(
        {e.high for (m, _, _), e in probes.estimates.items()
         if m == model and np.isfinite(e.high) and high < e.high < top}
    )  # fmt: skip
    for k in np.linspace(0, len(between) - 1, min(points, len(between))).round().astype(int):
        if probes.failures:
            break
        needs(between[k])
    rows = []
    for theta, alloc in tried.items():
        if alloc is None:
            continue
        worst = max(alloc, key=lambda c: probes.estimates[(model, c, alloc[c])].high)
        rows.append(
            {
                "model": model,
                "total_officers": sum(alloc.values()),
                "worst_county": worst,
                "worst_ci95_high": probes.estimates[(model, worst, alloc[worst])].high,
                "threshold": theta,
                **{f"officers.{c}": alloc.get(c) for c in counties},
            }
        )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    table = table.sort_values(["total_officers", "worst_ci95_high"]).drop_duplicates(
        "total_officers"
    )
    # keep the frontier: more officers must buy a better worst county
    table = table[
        table["worst_ci95_high"] < table["worst_ci95_high"].cummin().shift(fill_value=np.inf)
    ]
    table = table.reset_index(drop=True)
    gain = -table["worst_ci95_high"].diff() / table["total_officers"].diff()
    table.insert(5, "gain_per_officer_h", gain)
    fits = table.index[table["total_officers"] <= total]
    table["all_met"] = table["worst_ci95_high"].map(probes.target.met)
    table["chosen"] = table.index == (fits[-1] if len(fits) else -1)
    table["spare"] = np.where(table["chosen"], total - table["total_officers"], 0)
    return table.drop(columns="threshold")
