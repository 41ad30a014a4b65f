"""Which target sets a county's answer, and every target at the answers.

With several targets the answer is the first head count at which all hold; the target
that *binds* is the one failing just below it (the largest count measured below the
answer: one officer fewer, as a rule). Policy staff read it as "what would have to give
for fewer officers to do".
"""

from __future__ import annotations

import pandas as pd

from .probes import Probes


def binding(probes: Probes, model: str, county: str, need: int | None) -> str:
    """The targets that fail at the largest head count measured below the answer (one
    fewer, as a rule): what sets the answer. Empty at the least officers, or no answer."""
    if need is None:
        return ""
    below = [n for (m, c, n) in probes.estimates if m == model and c == county and n < need]
    if not below:
        return ""
    return "; ".join(probes.estimates[(model, county, max(below))].failing(probes.targets))


def checks_at_answers(probes: Probes, table: pd.DataFrame) -> pd.DataFrame:
    """Per model, county and target, at the answer: the target's estimate, interval, the
    end judged, whether it holds and whether it binds."""
    rows = []
    for row in table.itertuples():
        if pd.isna(row.officers_needed):
            continue
        est = probes.estimates[(row.model, row.county, int(row.officers_needed))]
        binds = set(row.binding.split("; ")) if row.binding else set()
        for t, (value, low, high, met) in zip(probes.targets, est.checks, strict=True):
            rows.append(
                {"model": row.model, "county": row.county, "officers": int(row.officers_needed),
                 "target": t.text, "estimate": value, "ci95_low": low, "ci95_high": high,
                 "limit": t.limit, "met": met, "binding": t.text in binds}
            )  # fmt: skip
    return pd.DataFrame(rows)
