"""``report.html`` for a run, comparison or sweep folder: one file policy staff can open,
mail or archive, with nothing to fetch (the page shell is ``page``'s)."""

from __future__ import annotations

import json
import math
import sys
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
from .caveats import caveats
from .drivers import drivers
from .findings import findings
from .geography import Geography, NoData, geography
from .glossary import glossary_section
from .i18n import NO_CJK_FONT, add_names, language, pick, tr
from .mechanisms_html import mechanisms_section
from .names import (
    description_rest,
    model_words,
    own_description,
    region_names,
    variant_names,
    variant_titles,
)
from .page import (
    ESTIMATE,
    ci,
    embed_figure,
    estimate_cells,
    failures_note,
    indicator_table,
    page,
    table,
    td,
    value_cell,
)
from .tables import by_variant, rank_intervals, ranking_by_replication
from .when_html import rota_cost, when_reported

MAX_SCENARIO_COLUMNS = 6


def write_report(
    results_dir: str | Path,
    *,
    results: Results | None = None,
    target_hours: float = F.TARGET_HOURS,
    lang: str = "en",
) -> Path:
    """Write ``results_dir/report.html`` and ``results_dir/figures/*.png|svg``; return
    the report's path. ``results`` saves reloading when the caller already has them
    (they must be the ones saved in the folder). A folder that is not a results folder
    raises ``ScenarioError``. ``lang="zh"`` writes ``report.zh.html`` with Chinese labels
    and place names, its figures under ``figures/zh/`` (the English report stays); with
    no font for Chinese it warns in one line and writes the English report instead."""
    folder = Path(results_dir)
    if results is None and not (folder / "manifest.json").is_file():
        # the command line prints this as one line and exits 2, like any bad input
        raise ScenarioError("", "not a results folder (no manifest.json)", str(folder))
    if lang != "en" and F.cjk_font() is None:
        print(NO_CJK_FONT, file=sys.stderr)
        lang = "en"
    res = results if results is not None else load_results(folder)
    with language(lang, region_names(folder, res)):
        report = _Report(folder, res, target_hours)
        if lang != "en":
            add_names(variant_names(res))  # a cell that is a variant's key shows its title
            report.figdir = folder / "figures" / lang
        html = report.build()
    path = folder / ("report.html" if lang == "en" else f"report.{lang}.html")
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
            ("findings", pick("Findings", "主要发现"), self.findings()),
            ("caveats", pick("Caveats", "注意事项"), caveats(self.res)),
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
            ("glossary", pick("Glossary", "术语表"), glossary_section()),
            ("scenario", "Scenario", self.scenario()),
            ("manifest", "Run details", self.manifest()),
            ("indicators", "All indicators", self.all_indicators()),
        ]
        m = self.res.manifest
        first = self.res.scenario
        name = self.folder.resolve().name
        reps, seed = escape(str(m.get("replications", "?"))), escape(str(m.get("seed", "?")))
        days, warm = first.get("horizon_days"), first.get("warmup_days")
        meta = pick(
            f"{escape(self.kind)} · {len(self.variants)} variant(s) · {reps} replication(s) · "
            f"seed {seed} · {days} days ({warm} warm-up)",
            f"{escape(tr(self.kind))} · {len(self.variants)} 个方案 · 重复运行 {reps} 次 · "
            f"随机种子 {seed} · {days} 天（含预热 {warm} 天）",
        ) + (
            f" · enforcement-sim {escape(str(m.get('version', '?')))} · "
            f"{escape(str(m.get('created_utc', '')))}"
        )
        # the description is prose in English; the Chinese report names the reference instead
        described = pick(
            str(first.get("description") or ""), tr(variant_titles(self.res)[self.variants[0]])
        )
        lead = f'<p class="meta">{meta}</p><p>{escape(described)}</p>' + failures_note(
            m.get("failures") or [], "their replications are missing from every table"
        )
        return page(f"{name}: enforcement-sim report", name, lead, sections)

    def findings(self) -> str:
        """What was found, then what drives it (``findings``); the caveats follow."""
        why = drivers(self.res)
        return findings(self.res) + (
            f"<h3>{pick('What drives the result', '结果的成因')}</h3>{why}" if why else ""
        )

    def how_to_read(self) -> str:
        """Four lines at most; the words are explained in the glossary."""
        g = '<a href="#glossary">{}</a>'.format
        items = [
            pick(
                "Every number is a mean over <b>replications</b> (independent runs of the same "
                "year) with its <b>95% interval</b> in square brackets or in grey below it.",
                "每个数字都是多次<b>重复运行</b>的平均值，方括号内或其下方灰色的是<b>95%区间</b>。",
            ),
            pick(
                "<b>Response time</b> runs from a report reaching the enforcement unit to a "
                "legal team (two officers) on site, in calendar hours, nights and weekends "
                "included; the first days of each run (the warm-up) are left out.",
                "<b>响应时间</b>从报告到达执法单位起，到执法小组（两人）到达现场止，按日历小时"
                "计算，包括夜间和周末；每次运行开始的预热期不计入。",
            ),
            pick(
                f"In the response-time figure the dashed line marks the {self.target:g}-hour "
                "target and the dotted line 90% of reports.",
                f"响应时间图中，虚线为 {self.target:g} 小时的目标，点线为90%的报告。",
            ),
        ]
        if len(self.variants) > 1:
            ref = escape(variant_titles(self.res)[self.variants[0]])
            items.append(
                pick(
                    "All variants meet <b>the same incidents</b>, so each is compared with "
                    f"<b>{ref}</b> replication by replication (a paired difference); a "
                    "difference is called clear, and shown in bold, only when its 95% interval "
                    "excludes zero.",
                    f"各方案面对<b>相同的事件</b>，因此逐次与<b>{ref}</b>比较（配对差异）；只有当"
                    "95%区间不包含零时，差异才称为明显，并以粗体显示。",
                )
            )
        if self.kind == "sweep":
            items.append(
                pick(
                    "A <b>sweep</b> keeps only the summary tables: figures that need every "
                    "incident are left out unless it ran with <code>--keep-records</code>; "
                    "maps show the first and last point.",
                    "<b>参数扫描</b>只保留汇总表：需要逐起事件数据的图表仅在使用 "
                    "<code>--keep-records</code> 运行时绘制；地图显示第一个和最后一个点。",
                )
            )
        items.append(
            pick(
                f"Every term is explained in the {g('glossary')}.",
                f"所有术语的解释见{g('术语表')}。",
            )
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
        forest = self.figure(
            "paired_differences",
            "What each variant changes",
            f"Each variant minus <b>{escape(self.variants[0])}</b>, replication by replication "
            "(every variant met the same incidents), with its 95% interval. Green: better; "
            "red: worse; blue: higher or lower where neither is better (utilisation); grey: "
            "the interval crosses zero, so no clear difference. The share within the "
            f"{self.target:g}-hour target is counted from the incident records; the table "
            "below has every headline indicator.",
            lambda: F.paired_differences(self.res, target_hours=self.target),
        )
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
        titles = variant_titles(self.res)
        head = "".join(f"<th>{escape(titles[v])}</th>" for v in others)
        return forest + (
            pick(
                f"<p>Each column is that variant minus <b>{escape(titles[self.variants[0]])}"
                "</b>, replication by replication on the same incidents (a paired "
                "difference), with its 95% interval; a difference in bold is clear: its "
                "interval excludes zero.</p>",
                f"<p>每列为该方案减去<b>{escape(titles[self.variants[0]])}</b>，在相同事件上逐次"
                "计算（配对差异），附95%区间；粗体表示差异明显（区间不包含零）。</p>",
            )
            + f"<table><thead><tr><th>{pick('indicator', '指标')}</th>{head}</tr></thead>"
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
                "<table><thead><tr><th>variant</th><th>median (h)</th>"
                "<th>90th percentile (h)</th></tr>"
                f"</thead><tbody>{''.join(rows)}</tbody></table>"
                '<p class="ci">Bootstrap intervals that resample whole replications.</p>'
            )
        parts.append("<h3>By county</h3>")
        paired = self.kind != "sweep" and len(self.variants) > 1 and not self.res.differences.empty
        if paired:
            parts.append(
                self.figure(
                    "response_by_county",
                    "Response time by county: what each variant changes",
                    f"Each variant's mean response time minus <b>{escape(self.variants[0])}</b>'s"
                    ", county by county, replication by replication on the same incidents, "
                    "with its 95% interval: a filled marker is a clear difference (its interval "
                    "excludes zero), a hollow one is not. The reference's own mean is beside "
                    "each county, slowest first; every variant's mean is in the table below.",
                    lambda: F.county_differences(self.res, variants=vs, target_hours=self.target),
                )
            )
        else:
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
        titles = self.unit_titles(vs)
        parts.append(
            self.figure(
                "response_by_unit",
                "Response time by unit",
                "Mean response time of the slowest enforcement units of each variant "
                "(officers in brackets) with its 95% interval; one panel per variant, since "
                "each layout has its own units. The panel titles say how many of the units "
                "are drawn; every unit is in the table below.",
                lambda: F.response_by_unit(
                    self.res, variants=vs, folder=self.folder, titles=titles
                ),
            )
        )
        parts.append(
            "<details><summary>Table: response time by unit (every unit)</summary>"
            + self.group_table("unit", "response_h_mean", vs)
            + "</details>"
        )
        return "\n".join(parts)

    def unit_titles(self, variants: Sequence[str]) -> dict[str, dict[str, str]]:
        """Unit -> "Yiwu squadron at Choujiang" per variant, from the cached layouts;
        a variant whose layout cannot be rebuilt keeps its raw unit names."""
        out: dict[str, dict[str, str]] = {}
        for v in variants:
            try:
                units = self.geo(v).units
            except NoData:
                continue
            if "title" in units:
                out[v] = dict(zip(units["unit"].astype(str), units["title"], strict=True))
        return out

    def geographies(self, variants: Sequence[str]) -> dict[str, Geography]:
        """The cached layouts of those variants that have one (a map rebuilds the others
        and says why it cannot)."""
        out = {}
        for v in variants:
            try:
                out[v] = self.geo(v)
            except NoData:
                continue
        return out

    def group_table(self, scope: str, indicator: str, variants: Sequence[str] | None = None) -> str:
        vs = list(variants or self.variants)
        s = by_variant(self.res, scope, [indicator], vs)
        if s.empty:
            return ""
        groups = sorted(s["group"].astype(str).unique())
        if scope == "unit":
            # each layout has its own units: one row per (variant, unit), slowest first
            titles = self.unit_titles(vs)
            s = s.sort_values(["variant", "mean"], ascending=[True, False], kind="stable")
            s = s.assign(_v=s["variant"].map({v: i for i, v in enumerate(vs)}))
            s = s.sort_values("_v", kind="stable")
            rows = [
                f"<tr><td>{escape(str(r.variant))}</td>"
                f"<th>{escape(titles.get(str(r.variant), {}).get(str(r.group), str(r.group)))}"
                f"</th>{value_cell(indicator, r.mean, r.ci95_low, r.ci95_high)}</tr>"
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
        parts = self.maps(
            "map_response",
            "Townships by mean response time",
            "Each point is a township, coloured by its mean response time (one colour "
            "scale for every panel"
            + (" of every map figure" if len(vs) > F.MAX_MAP_PANELS else "")
            + "); black markers are unit bases (posts of an integrated team), numbers the "
            "officers posted there, and grey lines join each township to the nearest post "
            "of the unit responsible for it. White points had no attended incident.",
            "response_h_mean",
            vs,
        )
        comp = by_variant(self.res, "township", ["two_person_compliance"], vs)["mean"]
        if (comp.dropna() < 1.0).any():
            parts += self.maps(
                "map_compliance",
                "Townships by two-person compliance",
                "Share of teams with at least the required officers, per township.",
                "two_person_compliance",
                vs,
            )
        else:
            self.maps("map_compliance", "", "", "", [])  # no stale map from an earlier report
            parts.append("<p>Two-person compliance is 100% in every township: no map.</p>")
        return "\n".join(parts)

    def maps(
        self, name: str, title: str, caption: str, indicator: str, vs: Sequence[str]
    ) -> list[str]:
        """Every variant on a map: one figure per group of at most ``F.MAX_MAP_PANELS``, all
        on one colour scale, each ``<figure>`` listing its variants in ``data-variants``."""
        groups = F.map_groups(vs, F.MAX_MAP_PANELS)
        names = [name if k == 0 else f"{name}_{k + 1}" for k in range(len(groups))]
        for old in self.figdir.glob(f"{name}_*.*"):  # maps of an earlier, longer comparison
            if old.stem not in names and old.suffix in (".png", ".svg"):
                old.unlink()
        parts = []
        for k, (fig_name, group) in enumerate(zip(names, groups, strict=True)):
            part = f" ({k + 1} of {len(groups)}: {', '.join(group)})" if len(groups) > 1 else ""
            parts.append(
                embed_figure(
                    self.figdir,
                    fig_name,
                    title + part,
                    caption,
                    partial(
                        F.township_map,
                        self.res,
                        indicator=indicator,
                        variants=group,
                        folder=self.folder,
                        scale_variants=vs,
                        geographies=self.geographies(group),
                    ),
                    attrs={"data-variants": "|".join(group)},
                )
            )
        return parts

    def workload(self) -> str:
        vs = self.sweep_points()
        titles = self.unit_titles(vs)
        fig = self.figure(
            "workload_by_unit",
            "Officer workload by unit",
            "The busiest units of each variant (most working hours per officer; the panel "
            "titles say how many of the units are drawn, and the table below has every "
            "unit). Left: how each unit's duty and overtime hours split between "
            "activities, idle included. Right: the working hours alone, per officer, to "
            "compare units.",
            lambda: F.workload_by_unit(self.res, variants=vs, folder=self.folder, titles=titles),
        )
        fig += rota_cost(self.res, self.variants_shown())
        off = self.res.officers
        if off.empty:
            return fig
        cols = [c for c, _, _ in F.ACTIVITY_BARS] + ["overtime_hours", "utilisation"]
        t = off.groupby(["variant", "unit"], observed=True, sort=False)[cols].mean()
        head = "".join(f"<th>{escape(n)} (h)</th>" for _, n, _ in F.ACTIVITY_BARS)
        every = self.unit_titles(self.variants)
        rows = []
        for (v, u), r in t.iterrows():
            cells = "".join(f'<td class="num">{r[c]:.1f}</td>' for c, _, _ in F.ACTIVITY_BARS)
            name = every.get(str(v), {}).get(str(u), str(u))
            rows.append(
                f"<tr><td>{escape(str(v))}</td><th>{escape(name)}</th>{cells}"
                f'<td class="num">{r["overtime_hours"]:.1f}</td>'
                f'<td class="num">{100 * r["utilisation"]:.1f}%</td></tr>'
            )
        return (
            fig + "<details><summary>Table: hours per officer by unit (every unit; mean over "
            "officers and replications)</summary>"
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
        within = "county"
        per = 3
        which = f" (variant {escape(variant)})" if len(self.variants) > 1 else ""
        fig = self.figure(
            "monthly_ranking",
            "Monthly township ranking: best and worst townships of each county",
            "Each township is ranked in its county every 30-day month after the warm-up, in "
            "every replication (1 = fewest pollution-hours from incidents that started in "
            "the month; ties share the best rank); its ranks are averaged over the months of "
            "each replication, and the point and bar are the mean and 95% interval of that "
            f"average over replications{which}. "
            f"Shown: the {per} best (green) and {per} worst (red) of each county. 'overlaps k "
            "of n': the intervals of k of the county's other n townships overlap this one's, "
            "so its place above or below them may be chance.",
            lambda: F.township_ranks(
                self.res, variant=variant, folder=self.folder, per_county=per, within=within
            ),
        )  # fmt: skip
        if self.res.incidents.empty:
            return fig
        by_rep = ranking_by_replication(self.res, variant, self.folder, within)
        if by_rep.empty:
            return fig
        csv_dir = self.folder / "figures"  # the same table in every language, where it links
        make_folder(csv_dir)
        write_file(csv_dir / "monthly_ranking.csv", partial(by_rep.to_csv, index=False))
        ranks = rank_intervals(by_rep)
        shown = F.ranking.top_and_bottom(ranks, per)
        rows = []
        for r in shown.itertuples():
            rows.append(
                f"<tr><td>{escape(str(r.county))}</td><th>{escape(r.township)}</th>"
                f"<td>{'best' if r.end == 'top' else 'worst'}</td>"
                f'<td class="num">{r.mean_rank:.1f}'
                f"{ci(f'[{r.ci95_low:.1f}, {r.ci95_high:.1f}]' if pd.notna(r.ci95_low) else '')}"
                f'</td><td class="num">{r.ranked_among}</td>'
                f'<td class="num">{r.overlaps} of {r.ranked_among - 1}</td>'
                f'<td class="num">{r.pollution_hours_per_month:.1f}</td></tr>'
            )
        alone = int((ranks["overlaps"] == 0).sum())
        months = by_rep["month"].nunique()
        reps = by_rep["replication"].nunique()
        verdict = (
            f"Of {len(ranks)} townships, "
            + (f"{alone} ha{'s' if alone == 1 else 've'}" if alone else "none has")
            + " a rank interval that overlaps no other township's in its county"
            + (
                ": the ranking cannot tell the others apart from at least one neighbour, so "
                "most places in a published monthly league table would be chance."
                if alone < len(ranks) / 2
                else "."
            )
        )
        return (
            fig + f"<p>{verdict}</p>"
            f"<p>Best and worst {per} townships of each county by mean rank over {months} "
            f"month(s) and {reps} replication(s), with the 95% interval over replications. "
            "The full table (every township, month and replication, with its county rank) "
            'is <a href="figures/monthly_ranking.csv"><code>figures/monthly_ranking.csv'
            "</code></a>.</p>"
            + table(
                [
                    "county",
                    "township",
                    "end",
                    "mean rank",
                    "townships ranked",
                    "intervals overlapping",
                    "pollution-hours / month",
                ],
                rows,
            )
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
        for v in shown:  # a counterfactual never shows the reference's description as its own
            facts[v]["description"] = own_description(self.res, v) or "–"
            if len(self.variants) > 1:  # the list of variants above the table has them
                del facts[v]["description"]
        keys = list(next(iter(facts.values())))
        titles = variant_titles(self.res)
        rows = []
        for k in keys:
            first = facts[shown[0]][k]
            diff = ' class="diff"'
            cells = "".join(
                f"<td{diff if facts[v][k] != first else ''}>{escape(facts[v][k])}</td>"
                for v in shown
            )
            rows.append(f"<tr><th>{escape(k)}</th>{cells}</tr>")
        head = "".join(f"<th>{escape(titles[v])}</th>" for v in shown)
        parts = [self.variant_list(titles)] if len(self.variants) > 1 else []
        if shown != self.variants:
            parts.append(
                pick(
                    f"<p>The scenario of <b>{escape(titles[shown[0]])}</b>; the others differ "
                    "only in the fields listed below the table.</p>",
                    f"<p>下表为<b>{escape(titles[shown[0]])}</b>的情景设定；其他方案仅在表下"
                    "所列字段上不同。</p>",
                )
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
                parts.append(
                    f'<p class="missing">{pick("Units of", "执法单位：")} {escape(titles[v])}: '
                    f"{escape(str(err))}</p>"
                )
                continue
            units = geo.units
            posts = {
                u: ", ".join(f"{tr(r.label)} {r.officers}" for r in p.itertuples())
                for u, p in geo.posts.groupby("unit", sort=False)
            }
            urows = "".join(
                f"<tr><th>{escape(r.title)}</th><td>{escape(model_words(r.model))}</td>"
                f'<td>{escape(tr(r.county))}</td><td class="num">{r.officers}</td>'
                f'<td class="num">{r.townships}</td><td>{escape(tr(r.base))}</td>'
                f"<td>{escape(posts.get(r.unit, ''))}</td><td><code>{escape(r.unit)}</code></td>"
                "</tr>"
                for r in units.itertuples()
            )
            n, officers = len(units), int(units["officers"].sum())
            summary = pick(
                f"Units of {escape(titles[v])} ({n} unit{'s' if n != 1 else ''}, "
                f"{officers} officers)",
                f"{escape(titles[v])}的执法单位（{n}个，{officers}名执法人员）",
            )
            parts.append(
                f"<details><summary>{summary}</summary>"
                "<table><thead><tr><th>unit</th><th>deployment model</th><th>county</th>"
                "<th>officers</th><th>townships</th><th>base</th>"
                "<th>officers posted at</th><th>name in the tables</th></tr></thead>"
                f"<tbody>{urows}</tbody></table></details>"
            )
        files = (
            "<code>scenario.yaml</code>"
            if (self.folder / "scenario.yaml").exists()
            else "<code>variants/&lt;name&gt;.yaml</code>"
        )
        parts.append(
            pick(
                f"<p>The full scenario as resolved is in {files} in this folder.</p>",
                f"<p>完整的情景设定见本文件夹中的{files}。</p>",
            )
        )
        return "\n".join(parts)

    def variant_differences(self, limit: int = 60) -> str:
        if len(self.variants) < 2:
            return ""
        flat = {v: _flatten(self.res.scenarios[v]) for v in self.variants}
        keys = sorted({k for f in flat.values() for k in f} - {"name", "description"})
        # the descriptions are in the list of variants above; the rest as written
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
        titles = variant_titles(self.res)
        head = "".join(f"<th>{escape(titles[v])}</th>" for v in self.variants)
        return (
            "<details open><summary>Fields that differ between variants</summary>"
            f'<div class="scroll"><table><thead><tr><th>field</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows[:limit])}</tbody></table></div>{more}</details>"
        )

    def variant_list(self, titles: dict[str, str]) -> str:
        """Each variant by its title, with its own description and its key in the files;
        the first is the reference every difference is taken from."""
        items = []
        for i, v in enumerate(self.variants):
            rest = description_rest(self.res, v)
            ref = pick(" (the reference)", "（参照）") if i == 0 else ""
            rest = pick(": ", "：") + escape(rest) if rest else ""
            items.append(f"<li><b>{escape(titles[v])}</b>{ref}{rest} <code>{escape(v)}</code></li>")
        return f"<p>{tr('The variants:')}</p><ul>{''.join(items)}</ul>"

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
