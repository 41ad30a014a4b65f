"""What a target measures in one run: a yearly count, a headline indicator, or a statistic.

Published figures are mostly volumes ("cases a year"), which the staffing target grammar
(a statistic of a per-incident quantity) cannot say, so a count is added beside it::

    count(WHAT [| FILTER, ...])      WHAT: cases | incidents | reports

``cases`` are incidents a legal team attended (``team_formed_h`` set), ``reports``
incidents reported to enforcement, ``incidents`` all of them; each counted over the
incidents that started after the warm-up and divided by the measured years, so
``count(cases | county=Dongyang)`` is Dongyang's cases a year, as
``tests/test_jinhua.py`` counts them. Filters are the target grammar's (checked against
the scenario's names by the same code). Anything else is a sensitivity output: a
headline indicator of the catalogue or ``p90(response_h | severity=major)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ScenarioError
from ..scenario import LoadedScenario
from ..sensitivity.study import Output, parse_outputs
from ..staffing.target import Target, parse_target

COUNTED = {
    "cases": "team_formed_h",  # a legal team attended
    "reports": "reported_h",  # reported to enforcement
    "incidents": None,  # every incident
}
_COUNT = re.compile(r"^\s*count\s*\((.*)\)\s*$", re.S)


@dataclass(frozen=True)
class Statistic:
    """A parsed target statistic: a count (``counted`` set) or a sensitivity ``Output``."""

    text: str
    counted: str | None = None
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    output: Output | None = None

    @property
    def needs_records(self) -> bool:
        return self.counted is not None or (self.output is not None and self.output.target)

    def value(self, tables: dict[str, pd.DataFrame], horizon_h: float, warmup_h: float) -> float:
        """This run's value (a count per measured year, or the output)."""
        if self.counted is not None:
            inc = tables["incidents"]
            keep = ~inc["in_warmup"].to_numpy()
            column = COUNTED[self.counted]
            if column is not None:
                keep &= inc[column].notna().to_numpy()
            for key, allowed in self.filters:
                keep &= inc[key].astype(str).isin(allowed).to_numpy()
            years = (horizon_h - warmup_h) / (24 * 365)
            return float(keep.sum()) / years
        assert self.output is not None
        if self.output.target is None:
            s = tables["summary"]
            top = s[s["scope"] == "all"].set_index("indicator")["value"]
            return float(top.get(self.output.text, np.nan))
        return _statistic(self.output.target, tables["incidents"], horizon_h)


def _statistic(target: Target, incidents: pd.DataFrame, horizon_h: float) -> float:
    values = target.values(incidents, horizon_h)["value"].to_numpy(dtype=float)
    if len(values) == 0:
        return float("nan")
    if target.stat == "mean":
        return float(values.mean())
    return float(np.quantile(values, target.q))


def parse_statistic(text: str, field: str, loaded: LoadedScenario, file: Path) -> Statistic:
    """A target's statistic, checked against the base scenario (one-line errors at ``field``)."""
    m = _COUNT.match(text)
    if m is None:
        try:
            (output,) = parse_outputs([text], loaded, file)
        except ScenarioError as err:
            raise ScenarioError(field, err.message, str(file)) from None
        return Statistic(text.strip(), output=output)
    what, _, filter_text = m.group(1).partition("|")
    what = what.strip()
    if what not in COUNTED:
        raise ScenarioError(field, f"count({what}): count one of {', '.join(COUNTED)}", str(file))
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    if filter_text.strip():
        sc = loaded.scenario
        names = {
            "types": tuple(sc.incident_types),
            "counties": tuple(sorted({t.county for t in loaded.townships})),
            "townships": tuple(t.township for t in loaded.townships),
        }
        try:
            filters = parse_target(f"mean(response_h | {filter_text}) <= 1", **names).filters
        except ScenarioError as err:
            raise ScenarioError(field, err.message, str(file)) from None
    return Statistic(text.strip(), counted=what, filters=filters)
