"""Staffing targets: ``p90(response_h | severity=major) <= 4`` and its kin.

A target is a statistic of a per-incident quantity, over the incidents a filter
keeps, held under a limit. It is parsed by a small regular grammar (never
``eval``) and checked against the scenario, so a typo is one line naming the
target, not a search that runs for minutes and finds nothing.

Grammar::

    TARGET := STAT "(" QUANTITY [ "|" FILTER { "," FILTER } ] ")" ("<=" | "<") NUMBER
    STAT   := mean | median | p<q>          (q in (0, 100), e.g. p90, p95, p99.5)
    FILTER := severity=V | type=V | county=V | township=V | reported_when=V
              (V may list values "a/b"; reported_when: on_duty, off_duty_weekday,
              weekend_holiday)

QUANTITY is a per-incident quantity of the indicator catalogue
(``sim.stats.catalogue.QUANTITIES``: its record columns, label and unit), or a
workload quantity (``sim.staffing.workload.WORKLOADS``: one value per county and
replication, e.g. ``mean(overtime_h_per_officer_year) <= 432``; only ``mean`` and a
``county=`` filter). Every per-incident quantity falls as officers are added, so its
target is an upper limit; a ``>=`` target on it is refused with a hint. A workload
quantity that rises with officers (``inspections_done_share``) takes ``>=`` instead,
judged at the lower end of its interval. Quantities are measured over incidents
reported to enforcement after the warm-up; an incident still waiting for a team
at the end of the run counts with the time it had waited (a lower bound), so an
overwhelmed county fails its target instead of being judged on the few incidents
it managed to reach.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ScenarioError
from ..scenario.schema import SEVERITIES
from ..stats.catalogue import QUANTITIES
from ..world.periods import REPORT_PERIODS
from .workload import WORKLOADS, Records, workload_values

FILTERS = ("severity", "type", "county", "township", "reported_when")
_TARGET = re.compile(r"^\s*([A-Za-z][\w.]*)\s*\((.*)\)\s*(<=|<|>=|>|==|=)\s*(\S+)\s*$", re.S)
_QUANTILE = re.compile(r"^p(\d+(?:\.\d+)?)$")
_FIELD = "--target"


@dataclass(frozen=True)
class Target:
    """A parsed target; ``text`` is how the user wrote it, for tables and titles."""

    text: str
    stat: str  # "mean" or "quantile"
    q: float  # quantile in (0, 1); 0 for the mean
    quantity: str
    filters: tuple[tuple[str, tuple[str, ...]], ...]
    limit: float
    strict: bool  # "<" rather than "<="
    lower_limit: bool = False  # ">=" or ">": a workload quantity that rises with officers

    @property
    def workload(self) -> bool:
        """A workload quantity (one value per county and replication), not per incident."""
        return self.quantity in WORKLOADS

    @property
    def label(self) -> str:
        """Short axis label in the catalogue's words, e.g. ``p90 response time
        (severity=major)``; the unit is the catalogue's too (``QUANTITIES``)."""
        stat = "median" if self.q == 0.5 else f"p{_fmt_q(self.q)}"
        stat = "mean" if self.stat == "mean" else stat
        where = ", ".join(f"{k}={'/'.join(v)}" for k, v in self.filters)
        name = (WORKLOADS[self.quantity] if self.workload else QUANTITIES[self.quantity]).label
        return f"{stat} {name}" + (f" ({where})" if where else "")

    def met(self, upper: float) -> bool:
        """Whether the target holds at the pessimistic end of an interval (``bound``): the
        upper end, or the lower end of a ``>=`` target."""
        if not np.isfinite(upper):
            return False
        if self.lower_limit:
            return upper > self.limit if self.strict else upper >= self.limit
        return upper < self.limit if self.strict else upper <= self.limit

    def bound(self, low: float, high: float) -> float:
        """The end of a 95% interval the target is judged at (the pessimistic one)."""
        return low if self.lower_limit else high

    def values_of(self, records: Records, window_hours: tuple[float, float]) -> pd.DataFrame:
        """``county, replication, value`` from a run's records (concatenated over
        replications): per incident, or one per county and replication for a workload."""
        if not self.workload:
            return self.values(records["incidents"], window_hours[1])
        out = workload_values(self.quantity, records, window_hours)
        counties = self.counties()
        return out[out["county"].isin(counties)] if counties else out

    def counties(self) -> tuple[str, ...] | None:
        """The counties a ``county=`` filter names, or None for all."""
        return dict(self.filters).get("county")

    def values(self, incidents: pd.DataFrame, horizon_h: float) -> pd.DataFrame:
        """``county, replication, value`` for every incident the target measures."""
        kept = incidents[~incidents["in_warmup"].to_numpy() & incidents["reported_h"].notna()]
        for key, allowed in self.filters:
            kept = kept[kept[key].astype(str).isin(allowed)]
        quantity = QUANTITIES[self.quantity]
        value = kept[quantity.end].to_numpy(dtype=float)
        if quantity.start:
            # a report still waiting at the end of the run: the wait so far, a lower bound
            since = kept[quantity.start].to_numpy(dtype=float)
            value = np.where(np.isnan(value), horizon_h, value) - since
        ok = ~np.isnan(value)
        return pd.DataFrame(
            {
                "county": kept["county"].astype(str).to_numpy()[ok],
                "replication": kept["replication"].to_numpy()[ok],
                "value": value[ok],
            }
        )


def _fmt_q(q: float) -> str:
    return f"{q * 100:g}"


def parse_target(
    text: str,
    *,
    severities: tuple[str, ...] = SEVERITIES,
    types: tuple[str, ...] = (),
    counties: tuple[str, ...] = (),
    townships: tuple[str, ...] = (),
) -> Target:
    """Parse and check a target against the scenario's names (one-line errors)."""
    m = _TARGET.match(text)
    if not m:
        raise ScenarioError(
            _FIELD,
            f"cannot read {text!r}: write STAT(QUANTITY | FILTER, ...) <= NUMBER, "
            "e.g. 'p90(response_h | severity=major) <= 4'",
        )
    stat_text, inner, op, number = m.groups()
    stat, q = _stat(stat_text.lower())
    quantity = inner.partition("|")[0].strip()
    rises = quantity in WORKLOADS and WORKLOADS[quantity].better == "higher"
    if op in ("==", "=") or (op in (">=", ">") and not rises):
        raise ScenarioError(
            _FIELD,
            f"{op!r}: a staffing target is an upper limit on a quantity that falls as officers "
            "are added; write <= or <",
        )
    if rises and op in ("<=", "<"):
        raise ScenarioError(
            _FIELD,
            f"{op!r}: {quantity} rises as officers are added, so its target is a lower limit; "
            "write >= or >",
        )
    try:
        limit = float(number)
    except ValueError:
        raise ScenarioError(_FIELD, f"limit {number!r} is not a number") from None
    if not np.isfinite(limit):
        raise ScenarioError(_FIELD, f"limit {number!r} must be a finite number")
    filter_text = inner.partition("|")[2]
    if quantity not in QUANTITIES and quantity not in WORKLOADS:
        raise ScenarioError(
            _FIELD,
            f"unknown quantity {quantity!r} (expected one of {', '.join(QUANTITIES)}; "
            f"or a workload: {', '.join(WORKLOADS)})",
        )
    known = {"severity": severities, "type": types, "county": counties, "township": townships,
             "reported_when": REPORT_PERIODS}  # fmt: skip
    if quantity in WORKLOADS:
        if stat != "mean":
            raise ScenarioError(
                _FIELD, f"{quantity} is one value per county and replication: use mean(...)"
            )
        known = {"county": counties}
    filters = _filters(filter_text, known) if filter_text.strip() else ()
    return Target(text.strip(), stat, q, quantity, filters, limit, op in ("<", ">"), rises)


def _stat(text: str) -> tuple[str, float]:
    if text == "mean":
        return "mean", 0.0
    if text == "median":
        return "quantile", 0.5
    m = _QUANTILE.match(text)
    if m and 0 < float(m.group(1)) < 100:
        return "quantile", float(m.group(1)) / 100
    raise ScenarioError(
        _FIELD, f"unknown statistic {text!r} (expected mean, median or p<q> such as p90)"
    )


def _filters(
    text: str, known: dict[str, tuple[str, ...]]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out: dict[str, tuple[str, ...]] = {}
    for part in text.split(","):
        key, eq, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not eq or not key or not value:
            raise ScenarioError(_FIELD, f"filter {part.strip()!r}: write KEY=VALUE")
        if key not in known:
            raise ScenarioError(
                _FIELD, f"unknown filter {key!r} (expected one of {', '.join(known)})"
            )
        if key in out:
            raise ScenarioError(_FIELD, f"filter {key!r} given twice; list values as a/b")
        values = tuple(v.strip() for v in value.split("/"))
        for v in values:
            if v not in known[key]:
                hint = _closest(v, known[key])
                raise ScenarioError(
                    _FIELD,
                    f"filter {key}={v!r}: no such {key} in the scenario"
                    + (f" (did you mean {hint!r}?)" if hint else ""),
                )
        out[key] = values
    return tuple(out.items())


def _closest(word: str, choices: tuple[str, ...]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return found[0] if found else None
