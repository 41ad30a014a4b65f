"""The glossary: every term a reader of the report meets, in plain words.

The indicators' own meanings are the catalogue's (the section "All indicators"); these
are the words around them: how the numbers were made (replication, interval, paired
difference), what the model calls things (legal team, duty hours, the deployment
models) and the statistics named in the text (90th percentile, utilisation).
"""

from __future__ import annotations

from html import escape

from .i18n import pick
from .sentences import in_language

# (anchor, (term en, term zh), (meaning en, meaning zh)); in the order a reader meets them
TERMS: tuple[tuple[str, tuple[str, str], tuple[str, str]], ...] = (
    ("variant", ("variant", "方案"),
     ("One way of organising enforcement that the report compares; the first one is the "
      "reference the others are measured against.",
      "报告所比较的一种执法组织方式；第一个方案是参照方案，其余方案都与它比较。")),
    ("replication", ("replication", "重复运行"),
     ("One independent run of the same simulated year with different chance events; every "
      "number is a mean over the replications.",
      "用不同随机事件独立模拟同一年的一次运行；报告中的数字均为各次运行的平均值。")),
    ("interval", ("95% interval", "95%区间"),
     ("The range in square brackets after a number: the model's true mean lies in it with "
      "95% confidence. More replications make it narrower.",
      "数字后方括号中的范围：模型真实均值以95%的置信度落在其中。重复运行越多，区间越窄。")),
    ("paired", ("paired difference", "配对差异"),
     ("A variant minus the reference, replication by replication, on the same incidents. A "
      "difference is called clear only when its 95% interval excludes zero.",
      "同一批事件上、逐次运行计算的某方案与参照方案之差。只有当95%区间不包含零时，才称差异明显。")),
    ("crn", ("common random numbers", "共同随机数"),
     ("Every variant meets the same incidents at the same times and places, so a "
      "difference comes from the deployment, not from luck.",
      "各方案面对的事件在时间和地点上完全相同，因此差异来自部署方式，而非运气。")),
    ("legal-team", ("legal team", "执法小组"),
     ("At least two enforcement officers on site, as the law requires for an enforcement "
      "action.",
      "依法开展执法行动所需的、到达现场的至少两名执法人员。")),
    ("response", ("response time", "响应时间"),
     ("Hours from a report reaching the enforcement unit to a legal team on site, in "
      "calendar hours: a report at 22:00 that waits for the morning counts its night.",
      "从报告到达执法单位到执法小组到达现场的小时数，按日历时间计算：晚上10点的报告等到次日早上，夜间时间也计入。")),
    ("duty", ("duty hours", "值班时间"),
     ("The hours officers are at work: office hours on workdays, plus any weekend duty team "
      "or on-call officers a variant has.",
      "执法人员在岗的时间：工作日的办公时间，加上方案中的周末值班组或待命人员。")),
    ("office-hours", ("office hours", "办公时间"),
     ("Reports that reached their unit in its office hours on a workday.",
      "在工作日办公时间内到达执法单位的报告。")),
    ("workday-nights", ("workday nights", "工作日夜间"),
     ("Reports that reached their unit outside office hours on a workday: evenings, nights "
      "and early mornings.",
      "在工作日办公时间以外（傍晚、夜间和清晨）到达执法单位的报告。")),
    ("weekends", ("weekends & holidays", "周末及节假日"),
     ("Reports that reached their unit on a Saturday, a Sunday or a public holiday (a day "
      "worked in lieu counts as a workday).",
      "在周六、周日或法定节假日到达执法单位的报告（调休上班日按工作日计）。")),
    ("pollution-hours", ("pollution-hours", "污染小时数"),
     ("How long an incident polluted: hours from its start until it stopped by itself or a "
      "legal team stopped it.",
      "一起事件持续污染的小时数：从开始到自行停止或被执法小组制止。")),
    ("grid", ("grid officer", "网格员"),
     ("A part-time township worker responsible for a small area (a grid) who spends part of "
      "the time looking for pollution and reports it through the township.",
      "负责一小片区域（网格）的乡镇兼职人员，部分时间用于发现污染并经乡镇上报。")),
    ("stationed", ("stationed office", "派驻执法所"),
     ("Enforcement officers posted in a township office, each office covering a few "
      "neighbouring townships.",
      "派驻在乡镇的执法人员，每个执法所负责几个相邻乡镇。")),
    ("squadron", ("zoned squadron", "划片中队"),
     ("A county's officers split into squadrons, each with its own zone of townships.",
      "县里的执法人员分成若干中队，每个中队负责划定片区内的乡镇。")),
    ("central", ("central pool", "统筹执法组"),
     ("All of a county's officers at the county bureau, sent to any township.",
      "全县执法人员集中在县局，统一派往各乡镇。")),
    ("integrated", ("integrated county team", "县级综合执法队伍"),
     ("One county-wide team under unified command, independent of the townships, with "
      "officers posted at several bases; the nearest free officers are sent.",
      "全县统一指挥、独立于乡镇的一支队伍，执法人员分驻多个驻点，派最近的空闲人员出勤。")),
    ("warm-up", ("warm-up", "预热期"),
     ("The first days of a run, left out of every number, so that backlogs start from "
      "realistic levels rather than from empty.",
      "每次运行开始的若干天，不计入任何指标，使积压从接近实际的水平而非零开始。")),
    ("p90", ("90th percentile", "第90百分位数"),
     ("The time within which 9 reports in 10 had a legal team on site; the slowest tenth "
      "waited longer.",
      "九成报告在此时间内有执法小组到场；最慢的一成等待更久。")),
    ("overtime", ("overtime", "加班"),
     ("Hours officers worked outside their duty hours (call-outs at night and at weekends).",
      "执法人员在值班时间以外工作的小时数（夜间和周末的出勤）。")),
    ("utilisation", ("utilisation", "利用率"),
     ("The share of an officer's duty and overtime hours spent working (cases, "
      "inspections, travel, routine township work).",
      "执法人员值班和加班时间中用于工作（办案、检查、路途、乡镇日常事务）的比例。")),
    ("cv", ("coefficient of variation", "变异系数"),
     ("The spread of a number between officers: its standard deviation divided by its "
      "mean; 0 means every officer is equally busy.",
      "执法人员之间某指标的离散程度：标准差除以均值；0表示每名执法人员同样忙碌。")),
)  # fmt: skip


def glossary_section(*, lang: str | None = None) -> str:
    """The glossary as a definition list, each term with an anchor (``#g-<name>``)."""
    with in_language(lang):
        rows = "".join(
            f'<dt id="g-{anchor}"><b>{escape(pick(*term))}</b></dt><dd>{escape(pick(*means))}</dd>'
            for anchor, term, means in TERMS
        )
        more = pick(
            'What each indicator means is under <a href="#indicators">All indicators</a>.',
            '各指标的含义见<a href="#indicators">全部指标</a>。',
        )
        return f'<dl class="glossary">{rows}</dl><p>{more}</p>'
