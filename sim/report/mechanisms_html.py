"""The report's section on the article's own mechanisms (issue 16), in plain words.

The article argues through mechanisms — routine township work absorbed by officers posted
in the townships, township interference in their cases, inspections that find violations,
education and deterrence that mean fewer violations, a monthly ranking that moves the
townships' own effort — so a comparison of its proposals should show what each mechanism
did, not only the response times. This section appears only when some variant turns a
mechanism on; each variant's mechanism indicators come with their 95% intervals and,
against the reference variant (the first), the paired difference said in words.

Adding a mechanism is one line in ``MECHANISMS``; adding an indicator one line in
``INDICATORS`` (it must be in the catalogue, ``sim.stats.catalogue``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from ..experiment.results import Results
from ..stats.catalogue import entry, fmt, fmt_interval, is_share, label
from .page import indicator_table, table, td
from .tables import by_variant


def _field(scenario: dict[str, Any], path: str) -> Any:
    """The value at a dotted ``path`` of a resolved scenario (``None`` if absent)."""
    value: Any = scenario
    for key in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _positive(path: str) -> Callable[[dict[str, Any]], bool]:
    """On when the number at ``path`` is above 0 (its block may be absent: off)."""
    return lambda sc: bool((_field(sc, path) or 0) > 0)


def _given(path: str) -> Callable[[dict[str, Any]], bool]:
    """On when the block at ``path`` is given at all."""
    return lambda sc: _field(sc, path) is not None


@dataclass(frozen=True)
class Mechanism:
    words: str  # what it is, for the reader
    on: Callable[[dict[str, Any]], bool]  # is it on in this resolved scenario?


MECHANISMS: tuple[Mechanism, ...] = (
    Mechanism("routine work as the townships' demand (diverted work, absorbed by posting)",
              _given("enforcement.township_demand")),
    Mechanism("township interference (属地干扰)",
              _positive("enforcement.interference.probability")),
    Mechanism("planned inspections that find violations",
              lambda sc: _positive("inspections.find_probability")(sc)
              and _positive("inspections.rate_per_day")(sc)),
    Mechanism("legal and moral education (proposal 4)", _given("education")),
    Mechanism("monthly ranking of townships with feedback (proposal 2)",
              _positive("ranking.strength")),
    Mechanism("general deterrence (proposal 4)", _positive("deterrence.elasticity")),
)  # fmt: skip
"""Every mechanism of the article the model has, and how a scenario turns it on."""

INDICATORS: tuple[str, ...] = (
    "diverted_hours_absorbed",  # township demand: routine work officers did
    "diverted_hours_left_to_township",  # ... and what nobody absorbed
    "share_compromised",  # interference: cases softened or delayed
    "township_hold_h_mean",  # ... and how long delayed ones were held back
    "share_found_planned_inspection",  # inspections that find
    "effort_multiplier_mean",  # ranking: how far townships' grid effort moved
    "effort_multiplier_max",
    "pollution_hours_spread",  # ... and the spread between townships
    "violations_deterred",  # general deterrence
    "violation_rate_per_day",
    "incidents",  # violations (education, deterrence)
    "violations_deterred",  # deterrence: violations that never started
    "violation_rate_per_day",  # ... and the rate of those that did
    "effort_multiplier_mean",  # ranking: grid effort the feedback added
    "pollution_hours_spread",  # ... and the spread of townships' monthly pollution
    "pollution_hours_total",  # what it all does to the environment
)
"""The mechanisms' indicators, in the order shown (those a results folder lacks are
skipped, so an indicator added here before it is computed does no harm)."""


def mechanisms_on(results: Results, variants: Sequence[str]) -> dict[str, list[str]]:
    """Per variant, the words of the mechanisms it turns on."""
    return {
        v: [m.words for m in MECHANISMS if m.on(results.scenarios.get(v) or {})] for v in variants
    }


def mechanisms_section(results: Results, variants: Sequence[str]) -> str:
    """The section "The article's mechanisms", or "" when every variant has every
    mechanism off."""
    on = mechanisms_on(results, variants)
    if not any(on.values()):
        return ""
    s = by_variant(results, "all", INDICATORS, variants)
    inds = [i for i in INDICATORS if (s["indicator"] == i).any()]
    which = table(
        ["mechanism", *variants],
        [
            f"<tr><th>{escape(m.words)}</th>"
            + "".join(td("on" if m.words in on[v] else "–", num=False) for v in variants)
            + "</tr>"
            for m in MECHANISMS
            if any(m.words in on[v] for v in variants)
        ],
    )
    parts = [
        "<p>The mechanisms the article argues through, as the model has them "
        "(<code>docs/model.md</code> in the project), and which variant turns each on:</p>",
        which,
    ]
    if inds:
        parts += [
            "<p>What they did, per variant: mean over replications with its 95% interval.</p>",
            indicator_table(s, inds, variants),
            _in_words(results, inds, variants),
        ]
    return "\n".join(parts)


def _in_words(results: Results, inds: Sequence[str], variants: Sequence[str]) -> str:
    """Each variant against the reference (the first), paired replication by replication,
    one sentence per indicator."""
    d = results.differences
    if len(variants) < 2 or d.empty:
        return ""
    ref = variants[0]
    d = d[(d["scope"] == "all") & d["indicator"].isin(inds)].set_index(["variant", "indicator"])
    blocks = []
    for v in variants[1:]:
        items = [
            f"<li>{_sentence(ind, d.loc[(v, ind)])}</li>" for ind in inds if (v, ind) in d.index
        ]
        if items:
            blocks.append(f"<p><b>{escape(v)}</b> against <b>{escape(ref)}</b>:</p>")
            blocks.append(f"<ul>{''.join(items)}</ul>")
    if not blocks:
        return ""
    return (
        "<p>Paired differences (the same incidents in every variant), with the 95% interval "
        "of the difference; a change is called clear when that interval excludes zero.</p>"
        + "".join(blocks)
    )


def _sentence(ind: str, row: Any) -> str:
    """``share of cases compromised: 9.8 percentage points lower (95% interval of the
    difference [-11.0%, -8.6%])``; "no clear change" when the interval holds zero."""
    mean, lo, hi = (float(row[c]) for c in ("diff_mean", "diff_ci95_low", "diff_ci95_high"))
    what = escape(label(ind, with_unit=False))
    if mean == 0 and lo == 0 and hi == 0:
        return f"{what}: the same"
    interval = escape(fmt_interval(ind, lo, hi))
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo <= 0 <= hi:
        return f"{what}: no clear change ({escape(fmt(ind, mean, signed=True))}, {interval})"
    e = entry(ind)
    if is_share(ind):
        size = f"{100 * abs(mean):.1f} percentage points"
    else:
        size = fmt(ind, abs(mean)) + (f" {e.unit}" if e is not None and e.unit else "")
    way = "higher" if mean > 0 else "lower"
    return f"{what}: <b>{escape(size)} {way}</b> (95% interval of the difference {interval})"
