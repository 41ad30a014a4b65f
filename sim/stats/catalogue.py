"""The one catalogue of what the results measure: every indicator and per-incident quantity.

An entry gives a name its plain label, unit, number format, direction of good and a
one-line meaning; the terminal tables, both HTML reports, the figures' axes, the
staffing targets and the glossary all read it, so a number is called and shown the
same way everywhere. ``tests/test_catalogue.py`` checks that every name
``indicators.py`` produces is here and that every indicator here is produced.

Adding an indicator: compute it in ``indicators.py`` and add its row to ``_ROWS`` below
(and its name to ``HEADLINE`` if policy staff should see it first). Adding a
per-incident quantity (for staffing targets): a row at the end of ``_ROWS`` and its
record columns in ``_RECIPES``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..registry import CHANNELS
from ..world.periods import OFF_DUTY_WEEKDAY, ON_DUTY, REPORT_PERIODS, WEEKEND_HOLIDAY

# number formats: how a value is written
SHARE = "share"  # a fraction, written as a percentage
HOURS = "hours"
COUNT = "count"
RATIO = "ratio"
DISTANCE = "distance"
FORMATS = (SHARE, HOURS, COUNT, RATIO, DISTANCE)

# direction of good
HIGHER = "higher"
LOWER = "lower"
NEITHER = "neither"


@dataclass(frozen=True)
class Indicator:
    """A number the results report per replication (``summary.csv``'s ``indicator``)."""

    name: str
    label: str
    unit: str  # shown in brackets after the label; "" for counts and ratios, "%" for shares
    format: str  # one of FORMATS
    better: str  # HIGHER, LOWER or NEITHER
    meaning: str  # one line, for the glossary


@dataclass(frozen=True)
class Quantity(Indicator):
    """A value per incident, which staffing targets and pooled quantiles are statistics of:
    ``end`` minus ``start`` (record columns; no ``start``: ``end`` itself). A difference
    of two event times is still growing for an incident whose end has not come."""

    end: str = ""
    start: str = ""


def _found_by_row(channel: str) -> tuple:
    """The row of a channel's share of discoveries: who finds (its label), direction of
    good its own."""
    ch = CHANNELS[channel]
    return (f"share_found_{channel}", f"found by {ch.label}", "%", SHARE, ch.better,
            f"Share of discovered incidents found first by {ch.label}.")  # fmt: skip


_FOUND_BY = tuple(_found_by_row(c) for c in CHANNELS.names())

# when a report came (the record column ``reported_when``): short words for tables and
# figures, and the full condition for the glossary
PERIOD_LABELS = {
    ON_DUTY: "office hours",
    OFF_DUTY_WEEKDAY: "workday nights",
    WEEKEND_HOLIDAY: "weekends & holidays",
}
_PERIOD_MEANS = {
    ON_DUTY: "in its office hours (its duty calendar and the public holidays; a rota's "
    "weekend team or on-call officers do not make office hours, so every rota splits the "
    "same reports alike)",
    OFF_DUTY_WEEKDAY: "outside its office hours on a workday",
    WEEKEND_HOLIDAY: "outside its office hours on a Saturday or Sunday (not worked in lieu) "
    "or a public holiday",
}


def _period_rows(statistic: str) -> tuple:
    """One row per report period of a statistic split by when the report reached its unit:
    ``share`` of reports, mean ``response``, mean ``wait`` for a team."""
    rows = []
    for p in REPORT_PERIODS:
        words, means = PERIOD_LABELS[p], _PERIOD_MEANS[p]
        rows.append({
            "share": (f"share_reported_{p}", f"reports that came {words}", "%", SHARE, NEITHER,
                      f"Share of reports that reached their unit {means}."),
            "response": (f"response_h_mean_{p}", f"response time, mean: {words}",
                         "h", HOURS, LOWER,
                         f"Mean response time of the attended reports that reached their unit "
                         f"{means}."),
            "wait": (f"team_wait_h_mean_{p}", f"wait for a legal team, mean: {words}",
                     "h", HOURS, LOWER,
                     f"Mean hours to a legal team formed, reports that reached their unit "
                     f"{means}."),
        }[statistic])  # fmt: skip
    return tuple(rows)


_ROWS = (
    # name, label, unit, format, better, meaning; in the order of the report's full table
    ("incidents", "incidents in the measured window", "", COUNT, NEITHER,
     "Incidents that started after the warm-up."),
    ("share_undiscovered", "never discovered", "%", SHARE, LOWER,
     "Share of incidents that no channel found before they ended."),
    ("discovery_delay_h_mean", "discovery delay, mean", "h", HOURS, LOWER,
     "Hours from an incident's start to its discovery, over discovered incidents."),
    ("discovery_delay_h_p90", "discovery delay, 90th percentile", "h", HOURS, LOWER,
     "90th percentile of the discovery delay."),
    *_FOUND_BY,
    ("share_settled", "settled by the grid officer", "%", SHARE, NEITHER,
     "Share of discovered incidents a grid officer settled without enforcement."),
    ("response_h_mean", "response time, mean", "h", HOURS, LOWER,
     "Hours from a report reaching enforcement to a legal team on site, attended reports "
     "(any township hold included)."),
    ("response_h_median", "response time, median", "h", HOURS, LOWER,
     "Median response time of the attended reports."),
    ("response_h_p90", "response time, 90th percentile", "h", HOURS, LOWER,
     "90th percentile of the response time of the attended reports."),
    ("response_working_h_mean", "response time in duty hours, mean", "duty hours", HOURS, LOWER,
     "Response time counting only the unit's duty hours."),
    ("response_working_h_p90", "response time in duty hours, 90th percentile", "duty hours",
     HOURS, LOWER,
     "90th percentile of the response time in duty hours."),
    *_period_rows("response"),
    ("team_wait_h_mean", "wait for a legal team, mean", "h", HOURS, LOWER,
     "Hours from a report to a legal team formed (before it travels), after any township "
     "hold (see township_hold_h_mean)."),
    *_period_rows("wait"),
    *_period_rows("share"),
    ("start_to_arrival_h_mean", "incident start to team on site, mean", "h", HOURS, LOWER,
     "Hours from the pollution starting to a legal team on site: discovery, hand-over, response."),
    ("pollution_hours_total", "pollution-hours, total", "h", HOURS, LOWER,
     "Hours of pollution summed over the incidents of a replication."),
    ("pollution_hours_mean", "pollution-hours per incident", "h", HOURS, LOWER,
     "Hours an incident polluted, mean over incidents."),
    ("two_person_compliance", "two-person compliance", "%", SHARE, HIGHER,
     "Share of teams formed with at least the officers the law requires."),
    ("share_borrowed", "teams with borrowed officers", "%", SHARE, NEITHER,
     "Share of teams that borrowed officers from another unit."),
    ("partner_wait_h_mean", "wait for a partner, mean per report", "h", HOURS, LOWER,
     "On-duty hours a report waited for a partner officer, mean over reports."),
    ("share_waited_for_partner", "reports that waited for a partner", "%", SHARE, LOWER,
     "Share of reports that waited for a partner officer at all."),
    ("share_unserved", "reports unserved at the horizon", "%", SHARE, LOWER,
     "Share of reports with no team formed by the end of the run."),
    ("backlog_mean", "reports waiting, time average", "reports", COUNT, LOWER,
     "Reports waiting for a team, averaged over the measured window."),
    ("travel_km_mean", "road distance per team, mean", "km", DISTANCE, LOWER,
     "Road kilometres a team travelled to the site, mean over teams."),
    ("share_compromised", "cases compromised by the township", "%", SHARE, LOWER,
     "Share of cases a team was sent to that the township softened or delayed (属地干扰)."),
    ("township_hold_h_mean", "held back by the township, mean per report", "h", HOURS, LOWER,
     "Hours the township held a report back before its unit could send a team (属地干扰, "
     "delayed cases; 0 for the rest), mean over reports. Counted in the response time, "
     "not in the wait for a legal team or the backlog."),
    ("officers", "officers", "", COUNT, NEITHER,
     "Enforcement officers in the units measured."),
    ("utilisation_mean", "officer utilisation, mean", "%", SHARE, NEITHER,
     "Share of an officer's duty and overtime hours spent working, mean over officers."),
    ("utilisation_cv", "utilisation spread (coefficient of variation)", "", RATIO, LOWER,
     "Standard deviation of utilisation between officers divided by its mean: how unequally "
     "busy the officers are (0: all equally)."),
    ("utilisation_max_min", "busiest / least busy officer", "", RATIO, LOWER,
     "The busiest officer's utilisation divided by the least busy officer's."),
    ("travel_share", "travel share of working time", "%", SHARE, LOWER,
     "Share of officers' working hours spent travelling."),
    ("inspection_share_of_duty", "planned inspections, share of duty", "%", SHARE, NEITHER,
     "Share of duty hours spent on planned inspections."),
    ("diverted_share_of_duty", "diverted work, share of duty", "%", SHARE, LOWER,
     "Share of duty hours taken by diverted (non-enforcement) work."),
    ("diverted_hours_absorbed", "diverted work done by officers", "h", HOURS, LOWER,
     "Hours officers spent on townships' routine (diverted) work in the measured window."),
    ("diverted_hours_left_to_township", "diverted work left to townships", "h", HOURS,
     NEITHER, "Hours of townships' routine work that reached no officer "
     "(enforcement.township_demand; 0 under the share model)."),
    ("effort_multiplier_mean", "grid effort multiplier, mean", "", RATIO, NEITHER,
     "Grid patrols' effort multiplier set by the monthly ranking (proposal 2), mean over "
     "townships and months after the warm-up (1: no extra effort; only with the loop on)."),
    ("effort_multiplier_max", "grid effort multiplier, largest", "", RATIO, NEITHER,
     "The largest effort multiplier any township had in a month after the warm-up."),
    ("pollution_hours_spread", "spread of township pollution-hours", "h", HOURS, LOWER,
     "Interquartile range of townships' monthly pollution-hours, mean over the months "
     "after the warm-up (only with the monthly loop on)."),
    ("violations_deterred", "violations deterred", "", COUNT, HIGHER,
     "Violations that general deterrence (proposal 4) prevented in the measured window "
     "(only with the monthly loop on)."),
    ("violation_rate_per_day", "violations per day", "/day", RATIO, LOWER,
     "Violations that started per day of the measured window (only with the monthly loop "
     "on; else see incidents)."),
    ("overtime_hours_mean", "overtime per officer", "h", HOURS, LOWER,
     "Hours worked outside duty hours, mean over officers."),
    ("callouts_per_officer_week", "call-outs per officer-week", "", RATIO, LOWER,
     "Times an officer was called out off duty, per officer and week of the measured window."),
    ("inspections_planned", "planned inspections", "", COUNT, NEITHER,
     "Planned inspections due after the warm-up."),
    ("inspections_done_share", "planned inspections done", "%", SHARE, HIGHER,
     "Share of the planned inspections that were done."),
    ("annual_cost_yuan", "annual cost", "yuan", COUNT, LOWER,
     "Officers, grid staff, monitoring points and rewards, yuan a year (only with `costs`)."),
    # per incident, not in summary.csv: what staffing targets and pooled quantiles are of
    ("response_h", "response time", "h", HOURS, LOWER,
     "Hours from a report reaching enforcement to a legal team on site."),
    ("team_wait_h", "wait for a legal team", "h", HOURS, LOWER,
     "Hours from a report to a legal team formed (per incident: any township hold "
     "included)."),
    ("start_to_arrival_h", "incident start to team on site", "h", HOURS, LOWER,
     "Hours from the pollution starting to a legal team on site."),
    ("response_working_h", "response time in duty hours", "duty hours", HOURS, LOWER,
     "Response time counting only the unit's duty hours."),
    ("partner_wait_h", "wait for a partner", "h", HOURS, LOWER,
     "On-duty hours a report waited for a partner officer."),
    ("two_person_breach", "team short of its size", "", COUNT, LOWER,
     "1 if the team went with fewer officers than required, else 0."),
)  # fmt: skip
# per-incident quantity -> its record columns: "end - start", or a column of its own
_RECIPES = {
    "response_h": "arrived_h - reported_h",
    "team_wait_h": "team_formed_h - reported_h",
    "start_to_arrival_h": "arrived_h - start_h",
    "response_working_h": "response_working_h",
    "partner_wait_h": "partner_wait_hours",
    "two_person_breach": "two_person_breach",
}

INDICATORS: dict[str, Indicator] = {
    row[0]: Indicator(*row) for row in _ROWS if row[0] not in _RECIPES
}
QUANTITIES: dict[str, Quantity] = {
    row[0]: Quantity(*row, *_RECIPES[row[0]].partition(" - ")[::2])
    for row in _ROWS
    if row[0] in _RECIPES
}
CATALOGUE: dict[str, Indicator] = {**INDICATORS, **QUANTITIES}

# indicators of the monthly loop (ranking, deterrence): produced only when it is on
ONLY_WITH_MONTHS: tuple[str, ...] = (
    "effort_multiplier_mean", "effort_multiplier_max", "pollution_hours_spread",
    "violations_deterred", "violation_rate_per_day",
)  # fmt: skip
# the cost of the world (sim.stats.costs): produced only when the scenario has `costs`
ONLY_WITH_COSTS: tuple[str, ...] = ("annual_cost_yuan",)
# what policy staff look at first, in this order; the full list is in the report's details
HEADLINE: tuple[str, ...] = (
    "incidents",
    "response_h_mean",
    "response_h_median",
    "response_h_p90",
    *(f"response_h_mean_{p}" for p in REPORT_PERIODS),
    "response_working_h_mean",
    "team_wait_h_mean",
    *(f"team_wait_h_mean_{p}" for p in REPORT_PERIODS),
    "two_person_compliance",
    "share_waited_for_partner",
    "share_borrowed",
    "share_unserved",
    "share_undiscovered",
    "discovery_delay_h_mean",
    "start_to_arrival_h_mean",
    "pollution_hours_mean",
    "pollution_hours_total",
    "backlog_mean",
    "share_compromised",
    "township_hold_h_mean",
    "utilisation_mean",
    "utilisation_cv",
    "travel_share",
    "inspection_share_of_duty",
    "diverted_share_of_duty",
    "diverted_hours_absorbed",
    "diverted_hours_left_to_township",
    "effort_multiplier_mean",
    "pollution_hours_spread",
    "violations_deterred",
    "violation_rate_per_day",
    "overtime_hours_mean",
    "callouts_per_officer_week",
)
# when reports came and what it did to them (the report's section of that name)
WHEN_REPORTED: tuple[str, ...] = tuple(
    f"{stat}_{p}" for stat in ("share_reported", "response_h_mean", "team_wait_h_mean")
    for p in REPORT_PERIODS
)  # fmt: skip
# what a duty rota costs the officers, per variant
ROTA_COST: tuple[str, ...] = ("overtime_hours_mean", "callouts_per_officer_week")
# a sweep's table, of which its figure draws the first SWEEP_FIGURE
SWEEP: tuple[str, ...] = (
    "response_h_mean",
    "response_h_p90",
    "two_person_compliance",
    "pollution_hours_mean",
    "share_waited_for_partner",
    "utilisation_mean",
)
SWEEP_FIGURE = SWEEP[:4]
# what else a head count buys or costs beside a staffing target (per county)
STAFFING_CONTEXT: tuple[str, ...] = ("response_h_mean", "share_unserved", "utilisation_mean")


def entry(name: str) -> Indicator | None:
    """The catalogue's entry, or for a channel registered after this module was imported
    (a plug-in, a test's toy) its row made now."""
    e = CATALOGUE.get(name)
    if e is None and name.startswith("share_found_") and name[12:] in CHANNELS:
        e = Indicator(*_found_by_row(name[12:]))
    return e


def label(name: str, with_unit: bool = True) -> str:
    """Axis and table label with the unit in brackets (``%`` for shares), so a reader
    never guesses a scale; a name outside the catalogue is shown as its words."""
    e = entry(name)
    if e is None:
        return name.replace("_", " ")
    return f"{e.label} ({e.unit})" if with_unit and e.unit else e.label


def is_share(name: str) -> bool:
    e = entry(name)
    return e is not None and e.format == SHARE


def higher_is_better(name: str) -> bool:
    e = entry(name)
    return e is not None and e.better == HIGHER


def fmt(name: str, x: float | None, *, signed: bool = False, digits: int = 3) -> str:
    """A number as every table shows it: shares in per cent to 0.1, others to about
    ``digits`` significant figures; ``signed`` puts ``+`` before a positive difference."""
    if x is None or not math.isfinite(x):
        return "–"
    sign = "+" if signed and x > 0 else ""
    if is_share(name):
        return f"{sign}{100 * x:.1f}%"
    if x == 0:
        return "0"
    if abs(x) < 10 ** -(digits - 1):
        return f"{sign}{x:.2g}"
    if abs(x) >= 1000:
        return f"{sign}{x:,.0f}"
    return f"{sign}{x:.{max(0, digits - 1 - math.floor(math.log10(abs(x))))}f}"


def fmt_interval(name: str, low: float | None, high: float | None) -> str:
    """``[low, high]`` as ``fmt`` writes them; empty where there is no interval."""
    if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
        return ""
    return f"[{fmt(name, low)}, {fmt(name, high)}]"


def possible(name: str, low: float | None, high: float | None) -> tuple[float | None, ...]:
    """An interval cut at what the indicator can be: none is negative and no share is above
    1, though a t interval over few replications can say otherwise."""
    if low is not None and math.isfinite(low):
        low = max(low, 0.0)
    if is_share(name) and high is not None and math.isfinite(high):
        high = min(high, 1.0)
    return low, high


def glossary() -> list[tuple[str, str, str]]:
    """``(name, label with unit, meaning)`` for every entry, indicators first."""
    return [(e.name, label(e.name), e.meaning) for e in CATALOGUE.values()]
