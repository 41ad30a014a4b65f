"""The report's opening: what was found, in sentences a policy reader takes in at once.

Every sentence is generated from ``summary.csv`` and ``differences.csv`` and writes its
numbers with the catalogue's ``fmt``/``fmt_interval``, so each equals the text of a table
further down. A comparison says a variant "shortens" or "lengthens" something only when
the 95% interval of the paired difference excludes zero; otherwise it says there is no
clear difference. Each ``<li>`` and each number carries ``data-*`` attributes naming the
row it comes from, so a test (or a reader with the CSV) can check it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from ..experiment.results import Results
from ..stats.catalogue import SWEEP
from .i18n import pick, tr
from .sentences import (
    Estimate,
    change_text,
    clear,
    in_language,
    level_text,
    li,
    rows,
    span,
    titles,
)


@dataclass(frozen=True)
class Claim:
    """How a sentence names an indicator: its subject and the verbs of a fall and a rise."""

    indicator: str
    heading: tuple[str, str]  # (en, zh): what the sentence is about, to open it
    subject: tuple[str, str]
    down: tuple[str, str]
    up: tuple[str, str]


# what a policy reader asks, in the order the findings answer it
CLAIMS = (
    Claim("response_h_mean",
          ("Mean response time", "平均响应时间"),
          ("the mean response time", "平均响应时间"),
          ("shortens", "缩短"), ("lengthens", "延长")),
    Claim("response_h_p90",
          ("Slowest reports (90th percentile of the response time: 9 reports in 10 were "
           "reached sooner)", "最慢的报告（第90百分位响应时间：九成报告在此之前到场）"),
          ("the 90th percentile of the response time", "第90百分位响应时间"),
          ("shortens", "缩短"), ("lengthens", "延长")),
    Claim("pollution_hours_mean",
          ("Pollution-hours per incident", "每起事件的污染小时数"),
          ("the pollution-hours per incident", "每起事件的污染小时数"),
          ("lowers", "降低"), ("raises", "提高")),
    Claim("share_waited_for_partner",
          ("Share of reports that waited for a partner officer", "需等待搭档执法人员的报告比例"),
          ("the share of reports that waited for a partner officer",
           "需等待搭档执法人员的报告比例"),
          ("lowers", "降低"), ("raises", "提高")),
    Claim("overtime_hours_mean",
          ("Overtime per officer", "每名执法人员的加班时间"),
          ("each officer's overtime", "每名执法人员的加班时间"),
          ("lowers", "减少"), ("raises", "增加")),
)  # fmt: skip


# ----------------------------------------------------------------------------- sentences


def findings(results: Results, *, lang: str | None = None) -> str:
    """The findings list (``<ul class="findings">``): differences from the reference for a
    comparison, levels for a single run, first against last point for a sweep."""
    with in_language(lang):
        kind = str(results.manifest.get("kind", "run"))
        levels, diffs = rows(results)
        names = titles(results)
        if kind == "sweep" and len(results.variants) > 1:
            items = _sweep(results, levels, names)
        elif len(results.variants) > 1 and diffs:
            items = _compare(results, levels, diffs, names)
        else:
            items = _levels(results.variants[0], levels, names)
        if items and kind != "sweep" and len(results.variants) > 1 and diffs:
            ref = escape(names[results.variants[0]])
            lead = pick(
                f"<p>Each variant against <b>{ref}</b>, on the same incidents. A change is "
                "stated only where its 95% interval excludes zero; otherwise there is no "
                "clear difference.</p>",
                f"<p>各方案均与<b>{ref}</b>在相同事件上比较。只有当95%区间不包含零时才说明变化；"
                "否则视为没有明显差异。</p>",
            )
            return lead + '<ul class="findings">' + "".join(items) + "</ul>"
        if not items:
            return pick(
                "<p>No findings: no indicator was measured.</p>", "<p>没有可报告的结果。</p>"
            )
        return '<ul class="findings">' + "".join(items) + "</ul>"


def _compare(results: Results, levels: dict, diffs: dict, names: dict[str, str]) -> list[str]:
    ref, others = results.variants[0], results.variants[1:]
    items = []
    best = best_variant(results.variants, levels)
    if best is not None:
        items.append(_best_sentence(ref, best, levels, diffs, names))
    for claim in CLAIMS:
        got = {v: diffs.get((v, "all", "all", claim.indicator)) for v in others}
        got = {v: e for v, e in got.items() if e is not None and math.isfinite(e[0])}
        if not got or all(e == (0.0, 0.0, 0.0) for e in got.values()):
            continue  # not measured, or fixed by construction (the caveats say which)
        items.append(li(_change_sentence(claim, ref, got, names), claim.indicator, list(got)))
    if best is not None and best != ref:
        county = _county_sentence(best, diffs, names)
        if county:
            items.append(county)
    return items


def best_variant(variants: Sequence[str], levels: dict) -> str | None:
    means = {v: levels.get((v, "all", "all", "response_h_mean")) for v in variants}
    means = {v: e for v, e in means.items() if e is not None and math.isfinite(e[0])}
    return min(means, key=lambda v: means[v][0]) if means else None


def _best_sentence(ref: str, best: str, levels: dict, diffs: dict, names: dict) -> str:
    ind = "response_h_mean"
    b = span(level_text(ind, levels[(best, "all", "all", ind)]), "level", best, ind)
    if best == ref:
        text = pick(
            f"<b>{escape(names[ref])}</b> has the shortest mean response time of all the "
            f"variants compared: {b}.",
            f"所比较的方案中，<b>{escape(names[ref])}</b>的平均响应时间最短：{b}。",
        )
        return li(text, ind, [ref])
    r = span(level_text(ind, levels[(ref, "all", "all", ind)]), "level", ref, ind)
    d = diffs.get((best, "all", "all", ind))
    sure = d is not None and clear(d[1], d[2])
    text = pick(
        f"<b>{escape(names[best])}</b> has the shortest mean response time: {b}, against "
        f"{r} under {escape(names[ref])}"
        + ("." if sure else "; the paired difference is not clear (its 95% interval "
                            "includes zero)."),
        f"<b>{escape(names[best])}</b>的平均响应时间最短：{b}，{escape(names[ref])}为{r}"
        + ("。" if sure else "；但配对差异不明显（95%区间包含零）。"),
    )  # fmt: skip
    return li(text, ind, [best, ref])


def _change_sentence(claim: Claim, ref: str, got: dict[str, Estimate], names: dict) -> str:
    """ "<b>Mean response time</b>: A shortens it by 1.78 hours [1.71, 1.85], B by ...; C
    lengthens it by ... No clear difference for D." (differences from ``ref``)."""
    ind = claim.indicator
    lower = sorted((v for v, e in got.items() if clear(e[1], e[2]) and e[0] < 0),
                   key=lambda v: got[v][0])  # fmt: skip
    higher = sorted((v for v, e in got.items() if clear(e[1], e[2]) and e[0] > 0),
                    key=lambda v: -got[v][0])  # fmt: skip
    unclear = [v for v in got if v not in lower and v not in higher]

    def clauses(vs: list[str], verb: tuple[str, str]) -> str:
        parts = []
        for i, v in enumerate(vs):
            n = span(change_text(ind, got[v]), "difference", v, ind)
            who = f"<em>{escape(names[v])}</em>"
            parts.append(
                pick(f"{who} {verb[0]} it by {n}", f"{who}将其{verb[1]} {n}")
                if i == 0
                else pick(f"{who} by {n}", f"{who}{verb[1]} {n}")
            )
        return pick(", ", "，").join(parts)

    head = f"<b>{pick(*claim.heading)}</b>{pick(': ', '：')}"
    body = [clauses(vs, verb) for vs, verb in ((lower, claim.down), (higher, claim.up)) if vs]
    if not body:
        return head + pick(
            f"no variant differs clearly from {escape(names[ref])} (every 95% interval "
            "includes zero).",
            f"各方案与{escape(names[ref])}均无明显差异（95%区间均包含零）。",
        )
    out = head + pick("; ", "；").join(body) + pick(".", "。")
    if unclear:
        who = pick(", ", "、").join(f"<em>{escape(names[v])}</em>" for v in unclear)
        out += pick(
            f" No clear difference for {who} "
            + ("(the 95% interval includes zero)." if len(unclear) == 1
               else "(their 95% intervals include zero)."),
            f"{who}没有明显差异（95%区间包含零）。",
        )  # fmt: skip
    return out


def _county_sentence(best: str, diffs: dict, names: dict) -> str:
    """Where the best variant gains most (the county with the largest clear fall)."""
    ind = "response_h_mean"
    rows = {
        k[2]: e
        for k, e in diffs.items()
        if k[0] == best and k[1] == "county" and k[3] == ind and clear(e[1], e[2]) and e[0] < 0
    }
    if len(rows) < 2:
        return ""
    county = min(rows, key=lambda c: rows[c][0])
    n = span(change_text(ind, rows[county]), "difference", best, ind, "county", county)
    text = pick(
        f"<b>{escape(names[best])}</b> gains most in {escape(tr(county))}, where it shortens "
        f"the mean response time by {n}.",
        f"<b>{escape(names[best])}</b>在{escape(tr(county))}改善最大，平均响应时间缩短 {n}。",
    )
    return li(text, ind, [best], "county")


def _levels(v: str, levels: dict, names: dict) -> list[str]:
    """A single run's findings: how long reports waited and what it cost."""

    def get(ind: str) -> str | None:
        e = levels.get((v, "all", "all", ind))
        return span(level_text(ind, e), "level", v, ind) if e and math.isfinite(e[0]) else None

    items = []
    if mean := get("response_h_mean"):
        items.append(
            li(
                pick(
                    f"On average a report waited {mean} for a legal team (two officers) on site.",
                    f"平均每份报告等待 {mean} 才有两名执法人员到达现场。",
                ),
                "response_h_mean",
                [v],
            )
        )
    med, p90 = get("response_h_median"), get("response_h_p90")
    if med and p90:
        items.append(
            li(
                pick(
                    f"Half of the reports had a legal team on site within {med}; 1 in 10 "
                    f"waited more than {p90}.",
                    f"半数报告在 {med} 内有执法人员到场；十分之一的报告等待超过 {p90}。",
                ),
                "response_h_median response_h_p90",
                [v],
            )
        )
    if (w := get("share_waited_for_partner")) and levels[
        (v, "all", "all", "share_waited_for_partner")
    ][0]:
        items.append(
            li(
                pick(
                    f"{w} of the reports waited for a second officer to be free.",
                    f"{w} 的报告需要等待第二名执法人员空闲。",
                ),
                "share_waited_for_partner",
                [v],
            )
        )
    if p := get("pollution_hours_mean"):
        items.append(
            li(
                pick(
                    f"An incident polluted for {p} on average before it stopped or was stopped.",
                    f"每起事件平均污染 {p}。",
                ),
                "pollution_hours_mean",
                [v],
            )
        )
    u, o = get("utilisation_mean"), get("overtime_hours_mean")
    if u and o:
        items.append(
            li(
                pick(
                    f"Officers were busy {u} of their working hours and worked {o} of "
                    "overtime each.",
                    f"执法人员 {u} 的工作时间处于忙碌状态，人均加班 {o}。",
                ),
                "utilisation_mean overtime_hours_mean",
                [v],
            )
        )
    return items  # fmt: skip


def _sweep(results: Results, levels: dict, names: dict) -> list[str]:
    """A sweep's findings: its first point against its last, level by level (no verbs:
    the points are not paired differences)."""
    first, last = results.variants[0], results.variants[-1]
    point_names = _point_names(results)
    subjects = {c.indicator: c.subject for c in CLAIMS}
    subjects["utilisation_mean"] = ("officers' utilisation", "执法人员利用率")
    items = []
    for ind in SWEEP:
        a, b = levels.get((first, "all", "all", ind)), levels.get((last, "all", "all", ind))
        if ind not in subjects or not a or not b:
            continue
        en, zh = subjects[ind]
        x = span(level_text(ind, a), "level", first, ind)
        y = span(level_text(ind, b), "level", last, ind)
        f, l_ = escape(point_names.get(first, first)), escape(point_names.get(last, last))
        items.append(
            li(
                pick(
                    f"{en[0].upper() + en[1:]} is {x} at the first point ({f}) and {y} at the last "
                    f"({l_}).",
                    f"{zh}：第一个点（{f}）为 {x}，最后一个点（{l_}）为 {y}。",
                ),
                ind,
                [first, last],
            )
        )
    return items  # fmt: skip


def _point_names(results: Results) -> dict[str, str]:
    """A sweep point by its parameters' values ("units.east_squadron.officers = 2")."""
    from .figures import sweep_parameters

    sw = results.sweep
    if sw.empty or "point" not in sw.columns:
        return {}
    params = [p for p in sweep_parameters(results) if p in sw.columns]
    first = sw.drop_duplicates("point").set_index("point")
    return {
        str(pt): ", ".join(f"{p} = {first.loc[pt, p]}" for p in params) or str(pt)
        for pt in first.index
    }
