"""The report's pieces on time: when reports came and what each rota costs the officers.

A report at 22:00 or on a Sunday waits for someone to be on duty or called out, so the
city-wide mean response is mostly the share of reports that come outside office hours
times how long they wait; these pieces show the two apart, per variant, beside the
deployment models.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from matplotlib.figure import Figure

from ..experiment.results import Results
from ..stats.catalogue import PERIOD_LABELS, ROTA_COST, WHEN_REPORTED
from ..world.periods import REPORT_PERIODS
from . import figures as F
from .page import indicator_table
from .tables import by_variant

# embed_figure's signature with the report's figure folder filled in
FigureMaker = Callable[[str, str, str, Callable[[], Figure]], str]


def when_reported(results: Results, variants: Sequence[str], figure: FigureMaker) -> str:
    """The section "When reports came": the figure, then shares, responses and waits."""
    periods = ", ".join(f"<b>{escape(PERIOD_LABELS[p])}</b>" for p in REPORT_PERIODS)
    intro = (
        f"<p>Each report is put in one of three periods by when it reached the unit "
        f"responsible for it: {periods}. Office hours are the unit's duty calendar with the public "
        "holidays, whatever the rota: a weekend duty team or a seven-day week does not make "
        "Saturday office hours, so every variant splits the same reports alike and the "
        "differences compare like with like. A day worked in lieu of a holiday counts as a "
        "workday. The city-wide mean response is "
        "the periods' means weighted by their shares of reports.</p>"
    )
    fig = figure(
        "response_by_report_period",
        "Response by when the report came",
        "Mean response time (left) and mean wait for a legal team to form (right) of the "
        "reports that came in each period, per variant, with 95% intervals over "
        "replications.",
        lambda: F.response_by_report_period(results, variants=variants),
    )
    s = by_variant(results, "all", WHEN_REPORTED, variants)
    if s.empty:
        return intro + fig
    inds = [i for i in WHEN_REPORTED if (s["indicator"] == i).any()]
    return intro + fig + indicator_table(s, inds, variants)


def rota_cost(results: Results, variants: Sequence[str]) -> str:
    """Overtime and call-outs per officer, per variant: what a rota costs the officers."""
    s = by_variant(results, "all", ROTA_COST, variants)
    if s.empty:
        return ""
    inds = [i for i in ROTA_COST if (s["indicator"] == i).any()]
    return (
        "<h3>What each variant costs the officers</h3>"
        "<p>Hours worked outside duty hours and times called out off duty, per officer "
        "(mean over officers, 95% interval over replications).</p>"
        + indicator_table(s, inds, variants)
    )
