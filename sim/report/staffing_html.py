"""``report.html`` for a staffing folder: the answers, how sure they are, and how they were found.

Self-contained on ``page``'s shell, like ``html.write_report``, so the staffing
answer can be mailed and archived on its own.
"""

from __future__ import annotations

import math
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ScenarioError
from ..experiment.folder import write_file
from ..staffing.results import Staffing, is_staffing_folder, load_staffing
from ..stats.catalogue import STAFFING_CONTEXT, fmt, label
from .figures.staffing import allocation_gains, staffing_curves, staffing_needed, target_unit
from .page import ci, embed_figure, failures_note, num, page, table, td, whole

__all__ = ["write_staffing_report"]


def write_staffing_report(folder: str | Path, staffing: Staffing | None = None) -> Path:
    """Write ``folder/report.html`` and ``folder/figures/*.png|svg``; return the report's
    path. ``staffing`` saves reloading when the caller has it (it must be the one saved
    in the folder); a folder that is not a staffing folder raises ``ScenarioError``."""
    folder = Path(folder)
    if staffing is None:
        if not is_staffing_folder(folder):
            # the command line prints this as one line and exits 2, like any bad input
            raise ScenarioError("", "not a staffing folder (no staffing.csv)", str(folder))
        staffing = load_staffing(folder)
    path = folder / "report.html"
    write_file(path, _build(folder, staffing))  # replaced whole, never through a symlink
    return path


def _unit(s: Staffing) -> str:
    unit = target_unit(s)
    return f" ({unit})" if unit else ""


# ---------------------------------------------------------------------------- sections


def _several(s: Staffing) -> list[str]:
    """The targets when there are several (all must hold), else []."""
    texts = list(s.manifest.get("targets") or [])
    return texts if len(texts) > 1 else []


def _how_to_read(s: Staffing) -> str:
    m = s.manifest
    several = _several(s)
    first = (
        f"The target is <code>{escape(s.target)}</code>: {escape(s.label)} at most "
        f"{s.limit:g}, over the incidents reported to enforcement after the warm-up."
    )
    if several:
        first = (
            "The targets are "
            + ", ".join(f"<code>{escape(t)}</code>" for t in several)
            + ": <b>all must hold</b>, each judged on the same runs at the pessimistic end of "
            "its interval (the lower end of a <code>&gt;=</code> target). The estimates, "
            f"curves and allocation below show the first, {escape(s.label)}; the section "
            "<i>Every target at the answer</i> shows them all, and which one <b>binds</b> "
            "(fails one officer fewer)."
        )
    items = [
        first,
        "A head count <b>meets</b> the target only if the <b>upper end</b> of the "
        "estimate's 95% bootstrap interval (resampling whole replications, "
        f"{escape(str(m.get('replications', '?')))} here) is within the limit; a "
        "point estimate below the limit is not enough. Few replications give wide "
        "intervals and so larger answers.",
        "<b>Officers needed</b> is the smallest head count that meets it. More officers "
        "can make a county slower (the layout generator splits a zone, and a zone of two "
        "has no one to spare), so head counts are searched by <b>layout family</b> (counts "
        "with the same number of zones): the largest count of every family is measured, "
        "and the first family that meets the target is bisected; the count one officer "
        "fewer was measured and failed (its upper end is in the table). Where a smaller "
        "count measured along the way met the target too, the status says so: the curve "
        "is noisy there and more replications would settle the answer.",
        "The target covers only the reports it names. Beside it, each answer shows what "
        "that head count means for <b>all reports</b> of the county (mean response, share "
        "still unserved at the end of the run) and how busy its officers are: a head count "
        "that meets a target for major incidents can leave the rest waiting.",
        "Every head count and model runs on <b>the same incidents</b> (common random "
        "numbers), so differences between head counts are differences of staffing, not luck.",
        "Inside a county the officers are placed by the model's <b>layout generator</b> "
        "(its zones, spare officers to the busiest zones), as in a run where a county is "
        "given as a head count.",
        "Reports still waiting for a team at the end of a run count with the <b>wait so "
        "far</b> (a lower bound), so an overwhelmed county fails instead of being judged "
        "on the few incidents it reached.",
        f"<b>Not reachable up to N</b>: even the search's maximum of "
        f"{escape(str(m.get('max_officers', '?')))} officers did not meet the target.",
    ]
    if m.get("allocation_total"):
        items.append(
            "The <b>allocation</b> spreads a city total of "
            f"{escape(str(m['allocation_total']))} officers so that the worst county is as "
            "good as it can be (minimax on the upper ends of the intervals). It is found "
            "exactly from the same searches: for a threshold, each county needs the fewest "
            "officers bringing its upper end under it; the smallest threshold whose total "
            "fits wins. Every threshold tried is a point of the <b>frontier</b> (city total "
            "against the worst county), with the gain per officer from the point before: "
            "the diminishing returns. Spare officers, if any, are reported rather than "
            "placed, since none of them would lower the worst county."
        )
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _answers(s: Staffing) -> str:
    u = _unit(s)
    head = ["county", "now", "needed", f"estimate at needed{u} [95% CI]",
            f"one fewer: upper end{u}", "incidents / year",
            *(label(c) for c in STAFFING_CONTEXT), "status"]  # fmt: skip
    parts = []
    for model, rows in s.table.groupby("model", sort=False):
        body = []
        for r in rows.itertuples():
            met = r.status == "met"
            interval = (
                f"[{num(r.ci95_low)}, {num(r.ci95_high)}]" if math.isfinite(r.ci95_high) else ""
            )
            where = "" if met or not math.isfinite(r.estimate) else " (at the maximum)"
            status = escape(str(r.status))
            sooner = _smaller_passing(s.curves, r) if met else None
            if sooner is not None:
                status += f"; {sooner} officers also met it (noisy curve)"
            binds = getattr(r, "binding", "")
            if _several(s) and met and isinstance(binds, str) and binds:
                status += f"; binds: {escape(binds)}"
            body.append(
                f"<tr><th>{escape(str(r.county))}</th>{td(whole(r.officers_now))}"
                f"{td(whole(r.officers_needed) if met else '–')}"
                f"{td(num(r.estimate) + where + ci(interval))}"
                f"{td(num(r.one_fewer_ci95_high))}{td(num(r.incidents_per_year, 1))}"
                + "".join(td(fmt(c, getattr(r, c, None))) for c in STAFFING_CONTEXT)
                + (f"<td>{status}</td>" if met else f'<td class="missing">{status}</td>')
                + "</tr>"
            )
        parts.append(f"<h3>{escape(str(model))}</h3>" + table(head, body))
    return "".join(parts)


def _targets(s: Staffing) -> str:
    """Every target at each answer: its estimate, interval, whether it holds and binds."""
    t = s.targets
    if t is None or t.empty:
        return '<p class="missing">No county met every target.</p>'
    head = ["county", "needed", "target", "estimate [95% CI]", "limit", "holds", "binds"]
    parts = []
    for model, rows in t.groupby("model", sort=False):
        body = [
            f"<tr><th>{escape(str(r.county))}</th>{td(whole(r.officers))}"
            f"<td><code>{escape(str(r.target))}</code></td>"
            f"{td(num(r.estimate) + ci(f'[{num(r.ci95_low)}, {num(r.ci95_high)}]'))}"
            f"{td(f'{r.limit:g}')}<td>{'yes' if bool(r.met) else 'no'}</td>"
            f"<td>{'<b>binds</b>' if bool(r.binding) else ''}</td></tr>"
            for r in rows.itertuples()
        ]
        parts.append(f"<h3>{escape(str(model))}</h3>" + table(head, body))
    return "".join(parts)


def _smaller_passing(curves: pd.DataFrame, r: Any) -> int | None:
    """A head count below the answer that met the target too: with few replications the
    upper end of the interval is not monotone, and the reader should know the answer
    depends on where the bisection happened to look."""
    if curves.empty or "met" not in curves:
        return None
    mine = curves[(curves["model"] == r.model) & (curves["county"] == r.county)]
    below = mine[mine["met"].astype(bool) & (mine["officers"] < int(r.officers_needed))]
    return int(below["officers"].min()) if len(below) else None


def _totals(s: Staffing) -> str:
    if s.totals.empty:
        return '<p class="missing">No city totals in this search.</p>'
    head = ["model", "officers now", "officers needed", "counties met",
            f"city-wide estimate at needed{_unit(s)} [95% CI]"]  # fmt: skip
    body = []
    for r in s.totals.itertuples():
        need = whole(r.officers_needed) if not pd.isna(r.officers_needed) else "not reachable"
        interval = (
            f"[{num(r.city_ci95_low)}, {num(r.city_ci95_high)}]" if need != "not reachable" else ""
        )
        body.append(
            f"<tr><th>{escape(str(r.model))}</th>{td(whole(r.officers_now))}{td(need)}"
            f"{td(f'{r.counties_met} of {r.counties}')}"
            f"{td(num(r.city_estimate) + ci(interval))}</tr>"
        )
    return (
        table(head, body) + '<p class="ci">The city total is the sum of the counties\' answers; '
        "the city-wide estimate pools every county's incidents at those head counts.</p>"
    )


def _figures(s: Staffing, figdir: Path) -> str:
    return "".join(
        [
            embed_figure(figdir, "staffing_curves", "Estimate against officers",
                    "Head counts the search measured, per county and model, with their 95% "
                    "intervals (up to half again the larger of the answer and the present "
                    "count; <code>curves.csv</code> has them all); the ring is the answer "
                    "(its interval's upper end under the dashed limit, one officer fewer "
                    "measured and failing), the dotted line the officers there now.",
                    lambda: staffing_curves(s)),
            embed_figure(figdir, "staffing_needed", "Officers needed",
                    "Officers needed per county and model beside the officers now; a hatched "
                    "bar is a county the search's maximum did not satisfy.",
                    lambda: staffing_needed(s)),
            embed_figure(figdir, "allocation_gains", "Where officers do most good",
                    "Top: the best the worst county can do (upper end of its interval) with "
                    "each city total, per model; the ring is the allocation of the total "
                    "asked for, the star the first total at which every county meets the "
                    "target. Bottom: the gain per officer between frontier points.",
                    lambda: allocation_gains(s)),
        ]
    )  # fmt: skip


def _allocation(s: Staffing) -> str:
    a = s.allocation
    if a is None or a.empty:
        return '<p class="missing">No allocation in this search (run without --no-allocation).</p>'
    u = _unit(s)
    counties = [c.removeprefix("officers.") for c in a.columns if c.startswith("officers.")]
    head = ["model", "city total", "worst county", f"its upper end{u}", f"gain per officer{u}",
            "all meet", "chosen", *counties]  # fmt: skip
    body = [
        f"<tr><td>{escape(str(r['model']))}</td>{td(whole(r['total_officers']))}"
        f"<td>{escape(str(r['worst_county']))}</td>{td(num(r['worst_ci95_high']))}"
        f"{td(num(r['gain_per_officer_h']))}<td>{'yes' if bool(r['all_met']) else ''}</td>"
        f"<td>{_chosen(r)}</td>"
        + "".join(td(whole(r[f"officers.{c}"])) for c in counties)
        + "</tr>"
        for _, r in a.iterrows()
    ]
    chosen = a[a["chosen"].astype(bool)]
    total = escape(str(s.manifest.get("allocation_total")))
    lead = "".join(
        f"<p><b>{escape(str(r['model']))}</b>: with {total} officers the worst county is "
        f"{escape(str(r['worst_county']))} at "
        f"{num(r['worst_ci95_high'])}{u} (upper end)"
        + (f", {int(r['spare'])} officer(s) spare" if r["spare"] else "")
        + ".</p>"
        for _, r in chosen.iterrows()
    )
    return (
        lead
        + f"<details><summary>The frontier, point by point ({len(a)} rows)</summary>"
        + table(head, body)
        + "</details>"
    )


def _chosen(r: pd.Series) -> str:
    return (
        f"yes ({int(r['spare'])} spare)"
        if bool(r["chosen"]) and r["spare"]
        else ("yes" if bool(r["chosen"]) else "")
    )


def _manifest(s: Staffing) -> str:
    m = s.manifest
    keys = ["target", "targets", "confidence", "variants", "seed", "replications", "max_officers",
            "least_officers", "allocation_total", "counties",
            "independent_counties", "runs", "runs_reused", "wall_time_s", "executor", "jobs",
            "version", "git_commit", "created_utc", "python", "platform"]  # fmt: skip
    shown = {k: m[k] for k in keys if k in m}
    shown["failed runs"] = len(m.get("failures") or [])
    rows = "".join(
        f"<tr><th>{escape(k)}</th><td>"
        f"{escape(', '.join(map(str, v)) if isinstance(v, list) else str(v))}</td></tr>"
        for k, v in shown.items()
    )
    return (
        f"<table><tbody>{rows}</tbody></table><p>Everything here is in "
        "<code>manifest.json</code>; the tables behind this report are "
        "<code>staffing.csv</code>, <code>totals.csv</code>, <code>curves.csv</code> and "
        "<code>allocation.csv</code> (and <code>targets.csv</code>: every target at the "
        "answer); the runs are kept in <code>runs/</code>.</p>"
    )


def _build(folder: Path, s: Staffing) -> str:
    sections = [
        ("how", "How to read this", _how_to_read(s)),
        ("answers", "Officers needed per county", _answers(s)),
        *([("targets", "Every target at the answer", _targets(s))] if _several(s) else []),
        ("totals", "City totals", _totals(s)),
        ("figures", "Figures", _figures(s, folder / "figures")),
        ("allocation", "Allocation steps", _allocation(s)),
        ("manifest", "Run details", _manifest(s)),
    ]
    m = s.manifest
    name = folder.resolve().name
    models = list(dict.fromkeys(s.table["model"].astype(str))) if len(s.table) else []
    meta = (
        f"staffing search · target <code>{escape(s.target)}</code> · model(s) "
        f"{escape(', '.join(models))} · {escape(str(m.get('replications', '?')))} "
        f"replication(s) · seed {escape(str(m.get('seed', '?')))} · enforcement-sim "
        f"{escape(str(m.get('version', '?')))} · {escape(str(m.get('created_utc', '')))}"
    )
    lead = f'<p class="meta">{meta}</p>' + failures_note(
        m.get("failures") or [], "the search stopped early"
    )
    return page(
        f"{name}: enforcement-sim staffing report", f"{name}: officers needed", lead, sections
    )
