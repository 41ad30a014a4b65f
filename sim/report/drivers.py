"""What drives the result: where the response time goes, in one or two sentences.

The share of all response hours that belongs to reports that came outside office hours
(each period's share of reports times its mean response, over their sum) says whether a
deployment can help at all; the wait for a legal team against the travel says whether
officers are too few or too far.
"""

from __future__ import annotations

import math
from html import escape

from ..experiment.results import Results
from ..stats.catalogue import fmt
from ..world.periods import ON_DUTY, REPORT_PERIODS
from .findings import best_variant
from .i18n import pick
from .sentences import in_language, level_text, li, rows, span, titles


def off_duty_hours_share(levels: dict, v: str) -> tuple[float, float] | None:
    """``(share of reports, share of response hours)`` that came outside office hours:
    each period's share of reports times its mean response, over their sum."""
    shares, hours = {}, {}
    for p in REPORT_PERIODS:
        s = levels.get((v, "all", "all", f"share_reported_{p}"))
        m = levels.get((v, "all", "all", f"response_h_mean_{p}"))
        if not s or not m or not (math.isfinite(s[0]) and math.isfinite(m[0])):
            return None
        shares[p], hours[p] = s[0], s[0] * m[0]
    total = sum(hours.values())
    if total <= 0:
        return None
    off = [p for p in REPORT_PERIODS if p != ON_DUTY]
    return sum(shares[p] for p in off), sum(hours[p] for p in off) / total


def drivers(results: Results, *, lang: str | None = None) -> str:
    """One or two sentences on where the response time goes: reports outside office hours,
    and the wait for a team against the travel to the site."""
    with in_language(lang):
        levels, _ = rows(results)
        names = titles(results)
        shown = [results.variants[0]]
        best = best_variant(results.variants, levels)
        if best is not None and best not in shown and results.manifest.get("kind") != "sweep":
            shown.append(best)
        items = []
        for v in shown:
            got = off_duty_hours_share(levels, v)
            if got is None:
                continue
            reports, hours = (
                f'<span class="derived" data-variant="{escape(v)}" data-derived="{k}">'
                f"{fmt('share_reported_on_duty', x)}</span>"
                for k, x in zip(("reports", "hours"), got, strict=True)
            )
            n = escape(names[v])
            most = got[1] > 0.5 and got[1] > got[0]
            items.append(li(pick(
                f"Under {n}, reports that came outside office hours (workday nights, weekends "
                f"and holidays) were {reports} of all reports and {hours} of all response "
                "hours" + (": most of the waiting is for officers to come on duty." if most
                           else "."),
                f"在{n}下，非工作时间（工作日夜间、周末及节假日）收到的报告占全部报告的 "
                f"{reports}，占全部响应时间的 {hours}"
                + ("：大部分等待是在等执法人员上班。" if most else "。")),
                "share_reported", [v]))  # fmt: skip
        ref = results.variants[0]
        resp = levels.get((ref, "all", "all", "response_h_mean"))
        wait = levels.get((ref, "all", "all", "team_wait_h_mean"))
        partner = levels.get((ref, "all", "all", "partner_wait_h_mean"))
        if resp and wait and partner and partner[0] > 0:
            r = span(level_text("response_h_mean", resp), "level", ref, "response_h_mean")
            w = span(level_text("team_wait_h_mean", wait), "level", ref, "team_wait_h_mean")
            p = span(level_text("partner_wait_h_mean", partner), "level", ref,
                     "partner_wait_h_mean")  # fmt: skip
            n = escape(names[ref])
            items.append(li(pick(
                f"Of the mean response time of {r} under {n}, {w} passed before a legal team "
                f"was formed ({p} of it waiting for a partner officer); travel to the site "
                "took the rest.",
                f"在{n}下，平均响应时间 {r} 中，有 {w} 用于等待组成执法小组（其中等待搭档 "
                f"{p}），其余为赶赴现场的路程时间。"),
                "team_wait_h_mean", [ref]))  # fmt: skip
        return '<ul class="drivers">' + "".join(items) + "</ul>" if items else ""
