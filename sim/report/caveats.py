"""Caveats generated from the scenario and the results: what no variant could change, and
which inputs are assumptions.

An outcome fixed by construction reads like a finding unless the report says so. It is
found in the data, not from a list: an indicator with the same value in every variant,
replication by replication (common random numbers give every variant the same incidents,
so whatever the deployment cannot touch comes out identical), or one value in every run
(a rule or a mechanism that is off). The provenance of the inputs is ``PROVENANCE``, from
``docs/calibration.md``: a scenario value that differs from the documented Jinhua one is
the scenario's own assumption.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from ..experiment.results import Results
from ..stats.catalogue import label
from .i18n import pick, tr
from .sentences import in_language, level_text, li, span

PUBLISHED, CALIBRATED, ASSUMED = "published", "calibrated", "assumption"


@dataclass(frozen=True)
class Input:
    """A scenario input, what the Jinhua baseline sets it to and why (docs/calibration.md)."""

    path: str  # dotted path in the resolved scenario; "*" matches every key
    kind: str  # PUBLISHED, CALIBRATED or ASSUMED, for the documented value
    documented: Any  # the Jinhua baseline's value
    words: Callable[[Any], tuple[str, str]]  # value -> (en, zh) phrase
    why: tuple[str, str] = ("", "")


def _pct(x: Any) -> str:
    return f"{100 * float(x):g}%"


def _shifts(x: Any) -> str:
    def clock(h: float) -> str:
        return f"{int(h):02d}:{round((h - int(h)) * 60):02d}"

    return ", ".join(f"{clock(s['start_hour'])}–{clock(s['end_hour'])}" for s in x or [])


PROVENANCE: tuple[Input, ...] = (
    Input("enforcement.team_size", PUBLISHED, 2,
          lambda v: (f"a legal team of {v} officers", f"执法小组 {v} 人"),
          ("the law requires at least two officers on site", "法律要求现场至少两名执法人员")),
    Input("calendar.holidays", PUBLISHED, "2019",
          lambda v: ("the public holidays and days worked in lieu of 2019",
                     "2019年法定节假日及调休"),
          ("State Council General Office notices", "国务院办公厅通知")),
    Input("incident_types.*.rate_per_day", CALIBRATED,
          {"wastewater": 0.015, "air_odour": 0.011, "solid_waste": 0.0075, "noise": 0.005},
          lambda v: ("the incident rates per township", "各乡镇的事件发生率"),
          ("fitted to published case volumes: about 1,400–1,800 cases a year city-wide and "
           "Dongyang's 450 in 2019", "按公开的案件量校准：全市每年约1400–1800件，东阳2019年450件")),
    Input("travel.speed_kmh", ASSUMED, 40,
          lambda v: (f"travel at {v:g} km/h", f"车速每小时 {v:g} 公里")),
    Input("travel.circuity_factor", ASSUMED, 1.3,
          lambda v: (f"roads {v:g} times the straight-line distance",
                     f"道路距离为直线距离的 {v:g} 倍")),
    Input("duty.shifts", ASSUMED, _shifts([{"start_hour": 8.5, "end_hour": 12.0},
                                          {"start_hour": 13.5, "end_hour": 17.5}]),
          lambda v: (f"office hours {v}", f"办公时间 {v}")),
    Input("enforcement.diverted_share", ASSUMED, 0.2,
          lambda v: (f"{_pct(v)} of officers' duty time taken by the townships' routine work"
                     if v else "no routine township work for officers",
                     f"执法人员 {_pct(v)} 的工作时间被乡镇日常事务占用" if v
                     else "执法人员不承担乡镇日常事务")),
    Input("discovery.citizens.report_rate_per_day", ASSUMED, 0.25,
          lambda v: (f"citizens reporting a pollution they notice at a rate of {v:g} a day",
                     f"群众举报率每天 {v:g}"),
          ("the published case volumes fit any rate from 0.15 to 0.40",
           "公开的案件量在0.15至0.40之间都能拟合")),
    Input("discovery.patrol.environmental_share", ASSUMED, 0.15,
          lambda v: (f"grid officers spending {_pct(v)} of their time on the environment",
                     f"网格员 {_pct(v)} 的时间用于环境工作")),
    Input("discovery.handover_hours.patrol.mean", ASSUMED, 24,
          lambda v: (f"a grid officer's report taking {v:g} hours on average to reach the "
                     "bureau", f"网格员的报告平均 {v:g} 小时才到达执法部门")),
)  # fmt: skip


def _get(sc: dict[str, Any], path: str) -> Any:
    """The value at a dotted path; a ``*`` collects that level's keys into a dict."""
    head, _, rest = path.partition(".")
    if head == "*":
        return {k: _get(v, rest) for k, v in (sc or {}).items()} if isinstance(sc, dict) else None
    if not isinstance(sc, dict) or head not in sc:
        return None
    return _get(sc[head], rest) if rest else sc[head]


def _value(sc: dict[str, Any], item: Input) -> Any:
    v = _get(sc, item.path)
    if item.path == "duty.shifts":
        return None if (sc.get("duty") or {}).get("always") else _shifts(v)
    if item.path == "calendar.holidays":
        years = {str(h.get("first", ""))[:4] for h in v or [] if isinstance(h, dict)}
        return "2019" if "2019" in years else None
    return v


# ------------------------------------------------------------------------- fixed outcomes

# an indicator that is zero because a mechanism is off -> (its switch, the mechanism)
SWITCHES = {
    "share_compromised": ("enforcement.interference.probability",
                          ("township interference", "属地干扰")),
    "township_hold_h_mean": ("enforcement.interference.probability",
                             ("township interference", "属地干扰")),
    "diverted_hours_left_to_township": ("enforcement.township_demand",
                                        ("the townships' demand for routine work",
                                         "乡镇日常事务需求")),
    "share_borrowed": ("enforcement.shortfall_policy",
                       ("borrowing officers from another unit", "向其他单位借调人员")),
    "share_found_sensor": ("discovery.sensors.coverage_share",
                           ("micro monitoring points", "微型监测点")),
    "share_found_planned_inspection": ("inspections.find_probability",
                                       ("finds by planned inspections", "计划检查发现")),
}  # fmt: skip
DISCOVERY = ("share_undiscovered", "discovery_delay_h_mean", "share_settled")


def fixed_outcomes(results: Results) -> tuple[set[str], dict[str, float]]:
    """``(same in every variant, {indicator: its one value in every run})`` at scope all;
    the first is empty for a single variant."""
    a = results.summary_by_replication
    if a.empty:
        return set(), {}
    a = a[a["scope"] == "all"]
    const = a.groupby("indicator")["value"].agg(["nunique", "first"])
    constant = {str(i): float(r["first"]) for i, r in const.iterrows() if r["nunique"] == 1}
    same: set[str] = set()
    if len(results.variants) > 1 and a["variant"].nunique() > 1:
        wide = a.pivot_table(index=["indicator", "replication"], columns="variant",
                             values="value")  # fmt: skip
        ok = (wide.nunique(axis=1, dropna=False) == 1).groupby(level=0).all()
        same = {str(i) for i, v in ok.items() if v}
    return same, constant


def caveats(results: Results, *, lang: str | None = None) -> str:
    """The caveats list: fixed outcomes first, then the inputs that are assumptions."""
    with in_language(lang):
        items = _fixed(results) + _inputs(results)
        return '<ul class="caveats">' + "".join(items) + "</ul>" if items else ""


def _fixed(results: Results) -> list[str]:
    same, constant = fixed_outcomes(results)
    ref = results.variants[0]
    sc = results.scenarios[ref]
    top = results.headline(ref)
    many = len(results.variants) > 1
    items = []
    e = top.get("share_undiscovered")
    if e and e["mean"] is not None:
        n = span(level_text("share_undiscovered", (e["mean"], e["ci95_low"], e["ci95_high"])),
                 "level", ref, "share_undiscovered")  # fmt: skip
        rate = _get(sc, "discovery.citizens.report_rate_per_day")
        grid = _get(sc, "discovery.patrol.environmental_share")
        grid = _pct(grid) if isinstance(grid, int | float) else grid
        inputs = pick(
            f"citizens report a pollution they notice at {rate} a day, grid officers give "
            f"{grid} of their time to the environment",
            f"群众举报率每天 {rate}，网格员环境工作比例 {grid}",
        )
        if "share_undiscovered" in same:
            text = pick(
                f"<b>Never discovered</b>: {n} of incidents, the same in every variant: "
                "discovery does not depend on the deployment of enforcement officers, so the "
                f"figure comes from the assumed discovery rates ({inputs}), not from the "
                "comparison; so do the discovery delay and the channels that found incidents.",
                f"<b>从未被发现</b>的事件占 {n}，各方案相同：发现过程与执法人员的部署无关，"
                f"该数字来自假设的发现率（{inputs}），而非方案比较的结果。",
            )
        else:
            text = pick(
                f"<b>Never discovered</b>: {n} of incidents; the figure follows from the "
                f"assumed discovery rates ({inputs}), which no published figure pins.",
                f"<b>从未被发现</b>的事件占 {n}；该数字来自假设的发现率（{inputs}）。",
            )
        items.append(li(text, "share_undiscovered", [ref]))
    policy = _get(sc, "enforcement.shortfall_policy")
    if constant.get("two_person_compliance") == 1.0:
        everywhere = pick("every variant and replication" if many else "every replication",
                          "所有方案和重复运行" if many else "所有重复运行")  # fmt: skip
        text = pick(
            f"<b>Two-person compliance</b> is 100% in {everywhere} by rule"
            + (f": under the shortfall policy <code>{escape(str(policy))}</code> a report "
               "waits until two officers are free, so a team never goes short; the rule's "
               "cost shows as waiting (reports that waited for a partner), not as compliance."
               if policy == "wait" else "."),
            f"<b>两人执法合规率</b>在{everywhere}中均为100%"
            + ("：按“等待”规则，报告会等到两名执法人员空闲，执法小组从不缺员；"
               "该规则的代价体现为等待，而非合规率。" if policy == "wait" else "。"),
        )  # fmt: skip
        items.append(li(text, "two_person_compliance", [ref]))
    zeros = [i for i, v in constant.items() if v == 0.0 and i in SWITCHES]
    if zeros:
        parts = []
        for path in dict.fromkeys(SWITCHES[i][0] for i in zeros):
            inds = [i for i in zeros if SWITCHES[i][0] == path]
            what = pick(*SWITCHES[inds[0]][1])
            shown = _get(sc, path)
            shown = pick("off", "未开启") if shown is None else shown
            names = pick(", ", "、").join(escape(tr(label(i, with_unit=False))) for i in inds)
            parts.append(
                f"{names} {pick('(', '（')}{escape(what)}: <code>{path}</code> = "
                f"{escape(str(shown))}{pick(')', '）')}"
            )
        text = pick(
            "<b>Zero in every run</b> because the mechanism behind it is off in this "
            "scenario: " + "; ".join(parts) + ".",
            "<b>在所有运行中均为零</b>，因为相应机制在本情景中未开启：" + "；".join(parts) + "。",
        )
        items.append(li(text, " ".join(zeros), [ref]))
    return items


def _inputs(results: Results) -> list[str]:
    """The inputs as assumptions, calibrated or published, with this scenario's values;
    an input the variants set differently is the comparison itself and is left out."""
    groups: dict[str, list[str]] = {PUBLISHED: [], CALIBRATED: [], ASSUMED: []}
    for item in PROVENANCE:
        values = [_value(sc, item) for sc in results.scenarios.values()]
        v = values[0]
        if v is None or any(x != v for x in values[1:]):
            continue
        documented = v == item.documented
        kind = item.kind if documented else ASSUMED
        phrase = escape(pick(*item.words(v)))
        why = pick(*item.why) if documented and item.why[0] else ""
        why = f"{pick(' (', '（')}{escape(why)}{pick(')', '）')}" if why else ""
        groups[kind].append(phrase + why)
    sep = pick("; ", "；")
    items = []
    if groups[ASSUMED]:
        items.append(li(pick(
            "<b>Assumptions</b> (no published figure was found; each can move the results): "
            + sep.join(groups[ASSUMED]) + ".",
            "<b>假设</b>（未找到公开数据，均可能影响结果）：" + sep.join(groups[ASSUMED]) + "。"),
            "inputs", results.variants[:1]))  # fmt: skip
    if groups[CALIBRATED]:
        items.append(li(pick(
            "<b>Calibrated</b>: " + sep.join(groups[CALIBRATED]) + ".",
            "<b>校准</b>：" + sep.join(groups[CALIBRATED]) + "。"),
            "inputs", results.variants[:1]))  # fmt: skip
    if groups[PUBLISHED]:
        items.append(li(pick(
            "<b>Published</b>: " + sep.join(groups[PUBLISHED]) + ".",
            "<b>公开数据</b>：" + sep.join(groups[PUBLISHED]) + "。"),
            "inputs", results.variants[:1]))  # fmt: skip
    if items:
        items.append(li(pick(
            "Every number of the Jinhua baseline is listed with its source, or the reason "
            "for the assumption, in <code>docs/calibration.md</code> in the project.",
            "金华基准情景的每个数字及其来源或假设理由见项目中的 "
            "<code>docs/calibration.md</code>。"),
            "inputs", results.variants[:1]))  # fmt: skip
    return items


__all__ = ["PROVENANCE", "caveats", "fixed_outcomes"]
