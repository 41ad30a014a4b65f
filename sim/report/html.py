"""``report.html`` for a run, comparison or sweep folder: one file policy staff can open,
mail or archive, with nothing to fetch (the page shell is ``page``'s)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from functools import partial
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from ..errors import ScenarioError
from ..experiment.folder import make_folder, write_file
from ..experiment.results import Results, load_results
from ..stats.catalogue import HEADLINE, INDICATORS, SWEEP, glossary, label
from . import figures as F
from .geography import Geography, NoData, geography
from .mechanisms_html import mechanisms_section
from .page import (
    ESTIMATE,
    embed_figure,
    estimate_cells,
    failures_note,
    indicator_table,
    page,
    table,
    td,
    value_cell,
)
from .tables import by_variant, monthly_ranking, ranking_summary
from .when_html import rota_cost, when_reported

MAX_SCENARIO_COLUMNS = 6


def write_report(
    results_dir: str | Path,
    *,
    results: Results | None = None,
    target_hours: float = F.TARGET_HOURS,
) -> Path:
    """Write ``results_dir/report.html`` and ``results_dir/figures/*.png|svg``; return
    the report's path. ``results`` saves reloading when the caller already has them
    (they must be the ones saved in the folder). A folder that is not a results folder
    raises ``ScenarioError``."""
    folder = Path(results_dir)
    if results is None and not (folder / "manifest.json").is_file():
        # the command line prints this as one line and exits 2, like any bad input
        raise ScenarioError("", "not a results folder (no manifest.json)", str(folder))
    res = results if results is not None else load_results(folder)
    html = _Report(folder, res, target_hours).build()
    path = folder / "report.html"
    write_file(path, html)  # replaced whole, never through a symlink
    return path


class _Report:
    def __init__(self, folder: Path, results: Results, target_hours: float) -> None:
        self.folder = folder
        self.res = results
        self.target = target_hours
        self.kind = str(results.manifest.get("kind", "run"))
        self.variants = results.variants
        self.figdir = folder / "figures"
        self._geo: dict[str, Geography | NoData] = {}

    # ----------------------------------------------------------------------- pieces

    def geo(self, variant: str) -> Geography:
        if variant not in self._geo:
            try:
                self._geo[variant] = geography(self.res, variant, self.folder)
            except NoData as err:
                self._geo[variant] = err
        got = self._geo[variant]
        if isinstance(got, NoData):
            raise got
        return got

    def figure(self, name: str, title: str, caption: str, make: Callable[[], Figure]) -> str:
        return embed_figure(self.figdir, name, title, caption, make)

    def variants_shown(self) -> list[str]:
        """Every variant, or a sweep's first and last point (as the headline table)."""
        return self.variants if self.kind != "sweep" else self.sweep_points()

    def sweep_points(self) -> list[str]:
        """For figures that cannot show every point of a sweep: its first and last."""
        if self.kind == "sweep" and len(self.variants) > 2:
            return [self.variants[0], self.variants[-1]]
        return self.variants

    # ---------------------------------------------------------------------- sections

    def build(self) -> str:
        sections = [
            ("how", "How to read this", self.how_to_read()),
            ("headline", "Headline indicators", self.headline()),
        ]
        if self.kind != "sweep" and len(self.variants) > 1 and not self.res.differences.empty:
            sections.append(("differences", "Paired differences", self.differences()))
        if self.kind == "sweep":
            sections.append(("sweep", "Sweep", self.sweep()))
        mechanisms = mechanisms_section(self.res, self.variants_shown())
        if mechanisms:  # only when some variant turns one of the article's mechanisms on
            if not self.res.months.empty:  # the monthly loop ran (ranking, deterrence)
                mechanisms += self.figure(
                    "ranking_feedback", "Monthly ranking with feedback", F.ranking.CAPTION,
                    lambda: F.ranking_feedback(self.res, variants=self.variants_shown()),
                )  # fmt: skip
            sections.append(("mechanisms", "The article's mechanisms", mechanisms))
        sections += [
            (
                "when",
                "When reports came",
                when_reported(self.res, self.variants_shown(), self.figure),
            ),
            ("response", "Response time", self.response()),
            ("map", "Map", self.map()),
            ("workload", "Officer workload", self.workload()),
            ("backlog", "Backlog", self.backlog()),
            ("discovery", "Discovery", self.discovery()),
            ("ranking", "Monthly township ranking", self.ranking()),
            ("scenario", "Scenario", self.scenario()),
            ("manifest", "Run details", self.manifest()),
            ("indicators", "All indicators", self.all_indicators()),
        ]
        m = self.res.manifest
        first = self.res.scenario
        name = self.folder.resolve().name
        meta = (
            f"{escape(self.kind)} · {len(self.variants)} variant(s) · "
            f"{escape(str(m.get('replications', '?')))} replication(s) · seed "
            f"{escape(str(m.get('seed', '?')))} · {first.get('horizon_days')} days "
            f"({first.get('warmup_days')} warm-up) · enforcement-sim "
            f"{escape(str(m.get('version', '?')))} · {escape(str(m.get('created_utc', '')))}"
        )
        lead = (
            f'<p class="meta">{meta}</p>'
            f"<p>{escape(str(first.get('description') or ''))}</p>"
            + failures_note(
                m.get("failures") or [], "their replications are missing from every table"
            )
        )
        return page(f"{name}: enforcement-sim report", name, lead, sections)

    def how_to_read(self) -> str:
        items = [
            "Every number is a <b>mean over replications</b> (independent runs of the same "
            "year) with its <b>95% interval</b> below it in grey: the range the true mean of "
            "the model lies in, with 95% confidence (cut at what is possible: no share "
            "below 0% or above 100%). Few replications give wide intervals.",
            "<b>Response time</b> is the time from the report reaching the enforcement unit "
            "to a legal team (at least two officers) on site, in calendar hours: a report "
            "at 22:00 that waits for the morning counts its night. Duty-hour versions are "
            'in the tables; <a href="#when">When reports came</a> splits it by whether '
            "the report came in duty hours, off duty on a workday, or off duty at a weekend "
            "or holiday.",
            "Incidents that started in the <b>warm-up</b> are left out of every indicator.",
            f"The dashed line in the response-time figure marks the {self.target:g}-hour "
            "target; the dotted line marks 90%.",
        ]
        if len(self.variants) > 1:
            items.append(
                "All variants run on <b>the same incidents</b> (common random numbers), so "
                f"the paired differences from <b>{escape(self.variants[0])}</b> are much "
                "tighter than the two intervals side by side suggest; a difference in bold "
                "has an interval that excludes zero."
            )
        if self.kind == "sweep":
            items.append(
                "A <b>sweep</b> keeps only the summary tables: figures that need every "
                "incident are left out unless it ran with <code>--keep-records</code>; maps "
                "show the first and last point."
            )
        items.append(
            "The <b>monthly ranking</b> ranks townships each 30-day month by the "
            "pollution-hours of the incidents that started in it (1 = fewest), the measure "
            "monitoring data would give the public (the second of the article's proposals; "
            "see <code>docs/model.md</code> in the project)."
        )
        return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"

    def headline(self) -> str:
        inds = [i for i in HEADLINE if i in set(self.res.summary["indicator"])]
        s = by_variant(self.res, "all", inds)
        if s.empty:
            return '<p class="missing">No indicators: every run failed.</p>'
        variants = self.variants_shown()
        note = (
            "<p>First and last sweep points; every point is in the "
            '<a href="#sweep">sweep table</a>.</p>'
            if variants != self.variants
            else ""
        )
        return note + indicator_table(s, inds, variants)

    def differences(self) -> str:
        d = self.res.differences
        d = d[(d["scope"] == "all") & d["indicator"].isin(HEADLINE)]
        others = [v for v in self.variants[1:] if (d["variant"] == v).any()]
        rows = []
        for ind in HEADLINE:
            mine = d[d["indicator"] == ind].set_index("variant")
            if mine.empty:
                continue
            cells = []
            for v in others:
                if v not in mine.index:
                    cells.append(td("–"))
                    continue
                r = mine.loc[v]
                lo, hi = float(r["diff_ci95_low"]), float(r["diff_ci95_high"])
                sig = math.isfinite(lo) and math.isfinite(hi) and (lo > 0 or hi < 0)
                cells.append(value_cell(ind, float(r["diff_mean"]), lo, hi, signed=True, bold=sig))
            rows.append(f"<tr><th>{escape(label(ind))}</th>{''.join(cells)}</tr>")
        head = "".join(f"<th>{escape(v)} − {escape(self.variants[0])}</th>" for v in others)
        return (
            f"<p>Each variant minus <b>{escape(self.variants[0])}</b>, replication by "
            "replication (paired), with a 95% t interval.</p>"
            f"<table><thead><tr><th>indicator</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def response(self) -> str:
        vs = self.variants_shown()
        parts = [
            self.figure(
                "response_ecdf",
                "Response time distribution",
                "Share of reports with a legal team on site within the time on the axis "
                "(log scale); the legend gives each variant's share within the target. "
                "A curve that ends below 100% has reports still waiting at the horizon.",
                lambda: F.response_ecdf(self.res, target_hours=self.target, variants=vs),
            )
        ]
        q = self.res.quantiles
        if not q.empty:
            rows = []
            for v in self.variants:
                mine = q[q["variant"] == v]
                cells = []
                for ind, qq in (("response_h", 0.5), ("response_h", 0.9)):
                    r = mine[(mine["indicator"] == ind) & (mine["q"] == qq)]
                    cells.append(
                        value_cell("response_h", *r[["value", "ci95_low", "ci95_high"]].iloc[0])
                        if len(r)
                        else "<td>–</td>"
                    )
                rows.append(f"<tr><th>{escape(v)}</th>{''.join(cells)}</tr>")
            parts.append(
                "<h3>Median and 90th percentile (all replications pooled)</h3>"
                "<table><thead><tr><th>variant</th><th>median (h)</th><th>p90 (h)</th></tr>"
                f"</thead><tbody>{''.join(rows)}</tbody></table>"
                '<p class="ci">Bootstrap intervals that resample whole replications.</p>'
            )
        parts.append("<h3>By county</h3>")
        parts.append(
            self.figure(
                "response_by_county",
                "Response time by county",
                "Mean response time per county with its 95% interval; slowest first.",
                lambda: F.response_by_county(self.res),
            )
        )
        parts.append(self.group_table("county", "response_h_mean"))
        parts.append("<h3>By unit</h3>")
        parts.append(
            self.figure(
                "response_by_unit",
                "Response time by unit",
                "Mean response time per enforcement unit (officers in brackets) with its "
                "95% interval; one panel per variant, since each layout has its own units.",
                lambda: F.response_by_unit(self.res, variants=vs),
            )
        )
        parts.append(
            "<details><summary>Table: response time by unit</summary>"
            + self.group_table("unit", "response_h_mean", vs)
            + "</details>"
        )
        return "\n".join(parts)

    def group_table(self, scope: str, indicator: str, variants: Sequence[str] | None = None) -> str:
        vs = list(variants or self.variants)
        s = by_variant(self.res, scope, [indicator], vs)
        if s.empty:
            return ""
        groups = sorted(s["group"].astype(str).unique())
        if scope == "unit":
            # each layout has its own units: one row per (variant, unit)
            rows = [
                f"<tr><td>{escape(str(r.variant))}</td><th>{escape(str(r.group))}</th>"
                f"{value_cell(indicator, r.mean, r.ci95_low, r.ci95_high)}</tr>"
                for r in s.itertuples()
            ]
            return table(["variant", scope, label(indicator)], rows)
        wide = s.set_index(["group", "variant"])
        rows = [
            f"<tr><th>{escape(g)}</th>"
            f"{estimate_cells(wide, indicator, [(g, v) for v in vs], ESTIMATE)}</tr>"
            for g in groups
        ]
        return f"<p>{escape(label(indicator)).capitalize()} by {scope}:</p>" + table(
            [scope, *vs], rows
        )

    def map(self) -> str:
        vs = self.sweep_points()
        parts = [
            self.figure(
                "map_response",
                "Townships by mean response time",
                "Each point is a township, coloured by its mean response time (one colour "
                "scale for all panels); black markers are unit bases (posts of an integrated "
                "team), numbers the officers posted there, and grey lines join each township "
                "to the nearest post of the unit responsible for it. White points had no "
                "attended incident.",
                lambda: F.township_map(self.res, variants=vs, folder=self.folder),
            )
        ]
        comp = by_variant(self.res, "township", ["two_person_compliance"], vs)["mean"]
        if (comp.dropna() < 1.0).any():
            parts.append(
                self.figure(
                    "map_compliance",
                    "Townships by two-person compliance",
                    "Share of teams with at least the required officers, per township.",
                    lambda: F.township_map(
                        self.res,
                        indicator="two_person_compliance",
                        variants=vs,
                        folder=self.folder,
                    ),  # fmt: skip
                )
            )
        else:
            parts.append("<p>Two-person compliance is 100% in every township: no map.</p>")
        return "\n".join(parts)

    def workload(self) -> str:
        fig = self.figure(
            "workload_by_unit",
            "Officer workload by unit",
            "Left: how each unit's duty and overtime hours split between activities, idle "
            "included. Right: the working hours alone, per officer, to compare units.",
            lambda: F.workload_by_unit(self.res, variants=self.sweep_points()),
        )
        fig += rota_cost(self.res, self.variants_shown())
        off = self.res.officers
        if off.empty:
            return fig
        cols = [c for c, _, _ in F.ACTIVITY_BARS] + ["overtime_hours", "utilisation"]
        t = off.groupby(["variant", "unit"], observed=True, sort=False)[cols].mean()
        head = "".join(f"<th>{escape(n)} (h)</th>" for _, n, _ in F.ACTIVITY_BARS)
        rows = []
        for (v, u), r in t.iterrows():
            cells = "".join(f'<td class="num">{r[c]:.1f}</td>' for c, _, _ in F.ACTIVITY_BARS)
            rows.append(
                f"<tr><td>{escape(str(v))}</td><th>{escape(str(u))}</th>{cells}"
                f'<td class="num">{r["overtime_hours"]:.1f}</td>'
                f'<td class="num">{100 * r["utilisation"]:.1f}%</td></tr>'
            )
        return (
            fig + "<details><summary>Table: hours per officer by unit (mean over officers "
            "and replications)</summary>"
            f'<div class="scroll"><table><thead><tr><th>variant</th><th>unit</th>{head}'
            "<th>overtime (h)</th><th>utilisation</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div></details>"
        )

    def backlog(self) -> str:
        return self.figure(
            "backlog",
            "Backlog over time",
            "Reports waiting for a legal team, sampled hourly, averaged over replications "
            "and smoothed over 7 days. A rising line means the units cannot keep up.",
            lambda: F.backlog(self.res, variants=self.sweep_points()),
        )

    def discovery(self) -> str:
        return self.figure(
            "discovery_channels",
            "Discovery channels",
            "Which channel found each discovered incident first, and the share of incidents "
            "never discovered (95% interval).",
            lambda: F.discovery_channels(self.res),
        )

    def ranking(self) -> str:
        variant = self.variants[0]
        fig = self.figure(
            "monthly_ranking",
            "Monthly township ranking",
            f"Rank of each township in each 30-day month after the warm-up"
            f"{' (variant ' + escape(variant) + ')' if len(self.variants) > 1 else ''}: "
            "1 = fewest pollution-hours from incidents that started in the month (mean over "
            "replications); ties share the best rank. Right: mean monthly pollution-hours.",
            lambda: F.monthly_ranking_chart(self.res, variant=variant, folder=self.folder),
        )
        if self.res.incidents.empty:
            return fig
        monthly = monthly_ranking(self.res, variant, self.folder)
        if monthly.empty:
            return fig
        make_folder(self.figdir)
        write_file(self.figdir / "monthly_ranking.csv", partial(monthly.to_csv, index=False))
        summary = ranking_summary(monthly)
        rows = []
        for r in summary.itertuples():
            resp = r.response_h_mean
            rows.append(
                f"<tr><th>{escape(r.township)}</th><td>{escape(str(r.county))}</td>"
                f'<td class="num">{r.mean_rank:.1f}</td><td class="num">{r.best_rank}</td>'
                f'<td class="num">{r.worst_rank}</td>'
                f'<td class="num">{r.months_in_bottom_3}</td>'
                f'<td class="num">{r.incidents_per_month:.2f}</td>'
                f'<td class="num">{r.pollution_hours_per_month:.1f}</td>'
                f'<td class="num">{"–" if pd.isna(resp) else f"{resp:.1f}"}</td></tr>'
            )
        months = monthly["month"].nunique()
        return (
            fig + f"<p>Townships by mean rank over {months} month(s), best first "
            "(the full table, one row per township and month, is "
            "<code>figures/monthly_ranking.csv</code>).</p>"
            '<div class="scroll"><table><thead><tr><th>township</th><th>county</th>'
            "<th>mean rank</th><th>best</th><th>worst</th><th>months in bottom 3</th>"
            "<th>incidents / month</th><th>pollution-hours / month</th>"
            "<th>mean response (h)</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )

    def sweep(self) -> str:
        fig = self.figure(
            "sweep_effects",
            "Indicators against the swept parameters",
            "Mean and 95% interval of each point; on a grid, points that share the other "
            "parameters' values are joined.",
            lambda: F.sweep_effects(self.res),
        )
        sw = self.res.sweep
        if sw.empty:
            return fig
        params = F.sweep_parameters(self.res)
        inds = [i for i in SWEEP if i in sw.columns]
        s = by_variant(self.res, "all", inds).set_index(["variant", "indicator"])
        rows = []
        for point, part in sw.groupby("point", sort=False):
            cells = "".join(f"<td>{escape(str(part[p].iloc[0]))}</td>" for p in params)
            for ind in inds:
                if (point, ind) in s.index:
                    r = s.loc[(point, ind)]
                    cells += value_cell(ind, r["mean"], r["ci95_low"], r["ci95_high"])
                else:
                    cells += td("–")
            rows.append(f"<tr><th>{escape(str(point))}</th>{cells}</tr>")
        head = "".join(f"<th>{escape(p)}</th>" for p in params) + "".join(
            f"<th>{escape(label(i))}</th>" for i in inds
        )
        return (
            fig + f'<div class="scroll"><table><thead><tr><th>point</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )

    def scenario(self) -> str:
        shown = self.variants
        if self.kind == "sweep" or len(shown) > MAX_SCENARIO_COLUMNS:
            shown = shown[:1]
        facts = {v: _facts(self.res.scenarios[v]) for v in shown}
        keys = list(next(iter(facts.values())))
        rows = []
        for k in keys:
            first = facts[shown[0]][k]
            diff = ' class="diff"'
            cells = "".join(
                f"<td{diff if facts[v][k] != first else ''}>{escape(facts[v][k])}</td>"
                for v in shown
            )
            rows.append(f"<tr><th>{escape(k)}</th>{cells}</tr>")
        head = "".join(f"<th>{escape(v)}</th>" for v in shown)
        parts = []
        if shown != self.variants:
            parts.append(
                f"<p>The scenario of <b>{escape(shown[0])}</b>; the others differ only in "
                "the fields listed below the table.</p>"
            )
        parts.append(
            f"<table><thead><tr><th>setting</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
        parts.append(self.variant_differences())
        for v in shown:
            try:
                geo = self.geo(v)
            except NoData as err:
                parts.append(f'<p class="missing">Units of {escape(v)}: {escape(str(err))}</p>')
                continue
            units = geo.units
            posts = {
                u: ", ".join(f"{r.label} {r.officers}" for r in p.itertuples())
                for u, p in geo.posts.groupby("unit", sort=False)
            }
            urows = "".join(
                f"<tr><th>{escape(r.unit)}</th><td>{escape(r.model)}</td>"
                f'<td>{escape(r.county)}</td><td class="num">{r.officers}</td>'
                f'<td class="num">{r.townships}</td><td>{escape(r.base)}</td>'
                f"<td>{escape(posts.get(r.unit, ''))}</td></tr>"
                for r in units.itertuples()
            )
            parts.append(
                f"<details><summary>Units of {escape(v)} ({len(units)} "
                f"unit{'s' if len(units) != 1 else ''}, "
                f"{int(units['officers'].sum())} officers)</summary>"
                "<table><thead><tr><th>unit</th><th>model</th><th>county</th>"
                "<th>officers</th><th>townships</th><th>base</th>"
                "<th>officers posted at</th></tr></thead>"
                f"<tbody>{urows}</tbody></table></details>"
            )
        files = (
            "<code>scenario.yaml</code>"
            if (self.folder / "scenario.yaml").exists()
            else "<code>variants/&lt;name&gt;.yaml</code>"
        )
        parts.append(f"<p>The full scenario as resolved is in {files} in this folder.</p>")
        return "\n".join(parts)

    def variant_differences(self, limit: int = 60) -> str:
        if len(self.variants) < 2:
            return ""
        flat = {v: _flatten(self.res.scenarios[v]) for v in self.variants}
        keys = sorted({k for f in flat.values() for k in f} - {"name", "description"})
        rows = []
        for k in keys:
            values = [flat[v].get(k) for v in self.variants]
            if all(x == values[0] for x in values):
                continue
            rows.append(
                f"<tr><th>{escape(k)}</th>"
                + "".join(f"<td>{escape(_short_json(flat[v].get(k)))}</td>" for v in self.variants)
                + "</tr>"
            )
        if not rows:
            return "<p>The variants' scenarios are identical apart from their names.</p>"
        more = f"<p>(first {limit} of {len(rows)} fields)</p>" if len(rows) > limit else ""
        head = "".join(f"<th>{escape(v)}</th>" for v in self.variants)
        return (
            "<details open><summary>Fields that differ between variants</summary>"
            f'<div class="scroll"><table><thead><tr><th>field</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows[:limit])}</tbody></table></div>{more}</details>"
        )

    def manifest(self) -> str:
        m = self.res.manifest
        libs = ", ".join(f"{k} {v}" for k, v in (m.get("libraries") or {}).items())
        items = [
            ("kind", m.get("kind")),
            ("variants", ", ".join(m.get("variants") or [])),
            ("package version", m.get("version")),
            ("git commit", m.get("git_commit")),
            ("created (UTC)", m.get("created_utc")),
            ("seed", m.get("seed")),
            ("replications", m.get("replications")),
            ("executor", f"{m.get('executor')} (jobs: {m.get('jobs')})"),
            ("wall time (s)", m.get("wall_time_s")),
            ("run time, summed (s)", m.get("run_wall_s")),
            ("runs reused from the store", m.get("runs_reused")),
            ("SimPy events", m.get("simpy_events")),
            ("failed runs", len(m.get("failures") or [])),
            ("Python", m.get("python")),
            ("platform", m.get("platform")),
            ("libraries", libs),
        ]
        rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in items)
        fails = "".join(
            f"<details><summary>{escape(str(f.get('variant')))}, replication "
            f"{escape(str(f.get('replication')))}</summary>"
            f"<pre>{escape(str(f.get('traceback') or f.get('error')))}</pre></details>"
            for f in m.get("failures") or []
        )
        return (
            f"<table><tbody>{rows}</tbody></table>{fails}"
            "<p>Everything here is in <code>manifest.json</code>; the tables behind this "
            "report are <code>summary.csv</code>, <code>differences.csv</code>, "
            "<code>quantiles.csv</code> and the <code>.parquet</code> record tables.</p>"
        )

    def all_indicators(self) -> str:
        s = by_variant(self.res, "all")
        inds = list(dict.fromkeys([*INDICATORS, *s["indicator"]]))
        inds = [i for i in inds if (s["indicator"] == i).any()]
        words = [
            f"<tr><th>{escape(text)}</th><td><code>{escape(name)}</code></td>"
            f"<td>{escape(meaning)}</td></tr>"
            for name, text, meaning in glossary()
        ]
        return (
            "<details><summary>Every indicator at scope <code>all</code> (mean and 95% "
            "interval)</summary>" + indicator_table(s, inds, self.variants) + "</details>"
            "<details><summary>What each indicator means (the names are the columns of "
            "<code>summary.csv</code>; the per-incident quantities are what staffing targets "
            "and pooled quantiles are taken of)</summary>"
            + table(["indicator", "name", "meaning"], words)
            + "</details>"
        )


# ----------------------------------------------------------------------------- helpers


def _flatten(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, dict) and v:
            out.update(_flatten(v, key))
        else:
            out[key] = v
    return out


def _short_json(x: Any, limit: int = 90) -> str:
    text = "–" if x is None else json.dumps(x, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _facts(sc: dict[str, Any]) -> dict[str, str]:
    """The settings a reader checks first, as short text; the YAML has the rest."""
    enf = sc.get("enforcement", {})
    duty = sc.get("duty", {})
    disc = sc.get("discovery", {})
    patrol = disc.get("patrol", {})
    citizens = disc.get("citizens", {})
    sensors = disc.get("sensors", {})
    shifts = (
        "24/7"
        if duty.get("always")
        else ", ".join(
            f"{_clock(s['start_hour'])}–{_clock(s['end_hour'])}" for s in duty.get("shifts", [])
        )
        + f" ({', '.join(duty.get('weekdays', []))})"
    )
    types = ", ".join(
        f"{name} {t.get('rate_per_day')}/day" for name, t in sc.get("incident_types", {}).items()
    )
    counties = sc.get("counties", {})
    deployments = ", ".join(
        f"{c}: {spec['deployment']['model']} × {spec['deployment']['officers']}"
        for c, spec in counties.items()
        if spec.get("deployment")
    )
    units = sc.get("units", {})
    return {
        "description": str(sc.get("description") or "–"),
        "horizon / warm-up (days)": f"{sc.get('horizon_days')} / {sc.get('warmup_days')}",
        "counties": f"{len(counties)}: {', '.join(counties)}",
        "units written in the file": (
            f"{len(units)} ({sum(u.get('officers', 0) for u in units.values())} officers)"
            if units
            else "none"
        ),
        "units generated from a head count": deployments or "none",
        "team size / shortfall policy": (f"{enf.get('team_size')} / {enf.get('shortfall_policy')}"),
        "dispatch order / chaining": f"{enf.get('dispatch_order')} / {enf.get('chaining')}",
        "diverted share of duty": str(enf.get("diverted_share")),
        "burden shifting": "on" if enf.get("burden_shifting", {}).get("enabled") else "off",
        "officers' duty": shifts,
        "on call off duty": ", ".join(duty.get("on_call", {}).get("severities", [])) or "none",
        "incident types": types,
        "discovery": str(disc.get("model")),
        "grid officers: environmental / source-inspection share": (
            f"{patrol.get('environmental_share')} / {patrol.get('source_inspection_share')}"
        ),
        "citizens: report rate per day / reward multiplier": (
            f"{citizens.get('report_rate_per_day')} / {citizens.get('reward_multiplier')}"
        ),
        "sensors: coverage share": str(sensors.get("townships") or sensors.get("coverage_share")),
        "travel: speed (km/h) / circuity": (
            f"{sc.get('travel', {}).get('speed_kmh')} / "
            f"{sc.get('travel', {}).get('circuity_factor')}"
        ),
        "planned inspections per day (weight 1)": str(
            sc.get("inspections", {}).get("rate_per_day")
        ),
    }


def _clock(h: float) -> str:
    return f"{int(h):02d}:{round((h - int(h)) * 60):02d}"
