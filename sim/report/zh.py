"""Chinese translations for the report, keyed by the English text (gettext-style msgids).

Whole texts only: ``i18n.tr`` looks a text up by exact match, so a heading, a table
header, an axis label or a legend entry translates when its English text is a key here.
Indicator labels are keyed by the indicator's name and turned into msgids from the
catalogue's current English label (with and without its unit), so every catalogue label
translates even when its English words change. Township and county names come from the
region table (``names.region_names``), not from here. The deployment models use the
article's terms: 派驻 offices (所), 划片 squadrons (环境监察中队), 统筹 central pool,
综合执法 integrated team.
"""

from __future__ import annotations

import re

from ..stats.catalogue import CATALOGUE as INDICATOR_CATALOGUE
from ..stats.catalogue import PERIOD_LABELS, label

# when a report came (the catalogue's PERIOD_LABELS, by period)
PERIODS = {
    "on_duty": "工作时间",
    "off_duty_weekday": "工作日夜间",
    "weekend_holiday": "周末和节假日",
}
_WHEN = {
    "on_duty": "工作时间内",
    "off_duty_weekday": "工作日夜间",
    "weekend_holiday": "周末和节假日",
}

# indicator name -> label in Chinese (the unit is added from UNITS)
INDICATORS = {
    "incidents": "统计期内的事件数",
    "share_undiscovered": "从未被发现的事件",
    "discovery_delay_h_mean": "发现延迟均值",
    "discovery_delay_h_p90": "发现延迟第90百分位数",
    "share_found_patrol": "由网格巡查发现",
    "share_found_citizen": "由群众举报发现",
    "share_found_sensor": "由监测点发现",
    "share_found_inspection": "由上级检查发现",
    "share_found_planned_inspection": "由计划检查发现",
    "share_settled": "由网格员就地处理",
    "response_h_mean": "响应时间均值",
    "response_h_median": "响应时间中位数",
    "response_h_p90": "响应时间第90百分位数",
    "response_working_h_mean": "按值班时间计的响应时间均值",
    "response_working_h_p90": "按值班时间计的响应时间第90百分位数",
    "team_wait_h_mean": "等待组成法定执法小组的平均时间",
    "start_to_arrival_h_mean": "从事件发生到执法小组到场的平均时间",
    "pollution_hours_total": "污染小时数合计",
    "pollution_hours_mean": "每起事件的污染小时数",
    "two_person_compliance": "两人执法达标率",
    "share_borrowed": "借调其他单位人员的执法小组",
    "partner_wait_h_mean": "等待搭档，每份报告平均",
    "share_waited_for_partner": "需要等待搭档的报告",
    "share_unserved": "期末仍未处理的报告",
    "backlog_mean": "待处理报告数，时间平均",
    "travel_km_mean": "每个执法小组的平均道路里程",
    "share_compromised": "受乡镇干扰的案件",
    "township_hold_h_mean": "被乡镇拖延的时间，每份报告平均",
    "officers": "执法人员",
    "utilisation_mean": "执法人员工作负荷均值",
    "utilisation_cv": "执法人员之间的负荷差异（变异系数）",
    "utilisation_max_min": "最忙与最闲执法人员之比",
    "travel_share": "路途时间占工作时间的比例",
    "inspection_share_of_duty": "计划检查占值班时间的比例",
    "diverted_share_of_duty": "被挪用工作占值班时间的比例",
    "diverted_hours_absorbed": "执法人员承担的挪用工作",
    "diverted_hours_left_to_township": "留给乡镇的挪用工作",
    "effort_multiplier_mean": "网格巡查力度倍数均值",
    "effort_multiplier_max": "网格巡查力度倍数最大值",
    "pollution_hours_spread": "各乡镇污染小时数的离散程度",
    "violations_deterred": "被威慑而未发生的违法行为",
    "violation_rate_per_day": "每日违法行为数",
    "overtime_hours_mean": "每名执法人员的加班时间",
    "callouts_per_officer_week": "每名执法人员每周的出勤召回次数",
    "inspections_planned": "计划检查",
    "inspections_done_share": "已完成的计划检查",
    "annual_cost_yuan": "年度成本",
    "response_h": "响应时间",
    "team_wait_h": "等待组成法定执法小组的时间",
    "start_to_arrival_h": "从事件发生到执法小组到场的时间",
    "response_working_h": "按值班时间计的响应时间",
    "partner_wait_h": "等待搭档的时间",
    "two_person_breach": "执法小组人数不足",
}
_BY_PERIOD = {
    "share_reported_": "{when}收到的报告",
    "response_h_mean_": "响应时间均值：{when}",
    "team_wait_h_mean_": "等待组成法定执法小组的平均时间：{when}",
}
UNITS = {"h": "小时", "duty h": "值班小时", "duty hours": "值班小时", "%": "%", "km": "公里",
         "yuan": "元", "reports": "份报告", "/day": "/日"}  # fmt: skip


def _indicator_messages() -> dict[str, str]:
    out: dict[str, str] = {}
    for name, e in INDICATOR_CATALOGUE.items():
        zh = INDICATORS.get(name)
        for prefix, template in _BY_PERIOD.items():
            period = name[len(prefix) :]
            if name.startswith(prefix) and period in _WHEN:
                zh = template.format(when=_WHEN[period])
        if zh is None:
            continue
        out[e.label] = zh
        out[label(name)] = f"{zh}（{UNITS.get(e.unit, e.unit)}）" if e.unit else zh
    for period, words in PERIOD_LABELS.items():
        out[words] = PERIODS[period]
    return out


# headings, navigation, table headers, figure titles and axis labels, settings
WORDS = {
    # sections and navigation
    "Findings": "主要发现",
    "Caveats": "注意事项",
    "Glossary": "术语表",
    "How to read this": "阅读说明",
    "Headline indicators": "主要指标",
    "Paired differences": "配对差异",
    "Sweep": "参数扫描",
    "The article's mechanisms": "文章所述机制",
    "When reports came": "报告到达的时间",
    "Response time": "响应时间",
    "Map": "地图",
    "Officer workload": "执法人员工作量",
    "Backlog": "积压",
    "Discovery": "问题发现",
    "Monthly township ranking": "乡镇月度排名",
    "Scenario": "情景设定",
    "Run details": "运行详情",
    "All indicators": "全部指标",
    "Monthly ranking with feedback": "带反馈的月度排名",
    # figures and tables
    "All reports": "全部报告",
    "Major incidents": "重大事件",
    "By county": "按县（市、区）",
    "By unit": "按执法单位",
    "Backlog over time": "积压随时间变化",
    "Backlog over time (mean over replications)": "积压随时间变化（各次运行均值）",
    "Discovery channels": "发现渠道",
    "Discovery channels (means over replications, after the warm-up)": (
        "发现渠道（各次运行均值，预热期后）"
    ),
    "Found first by": "首先发现者",
    "Never discovered (95% interval)": "从未被发现（95%区间）",
    "Officer workload by unit": "各执法单位的执法人员工作量",
    "Officer workload by unit (mean per officer over the measured window)": (
        "各执法单位的执法人员工作量（统计期内每名执法人员均值）"
    ),
    "Response by when the report came": "按报告到达时间划分的响应",
    "Response by when the report came (mean over replications, 95% interval)": (
        "按报告到达时间划分的响应（各次运行均值，95%区间）"
    ),
    "Response time by county": "各县（市、区）响应时间",
    "Response time by unit": "各执法单位响应时间",
    "Response time distribution": "响应时间分布",
    "Response time distribution (after the warm-up, all replications pooled)": (
        "响应时间分布（预热期后，合并全部运行）"
    ),
    "Response time, mean by township": "各乡镇平均响应时间",
    "Townships by mean response time": "各乡镇平均响应时间",
    "Median and 90th percentile (all replications pooled)": "中位数和第90百分位（合并全部运行）",
    "Monthly pollution-hours": "月度污染小时数",
    "Rank each month (1 = fewest pollution-hours)": "每月排名（1 = 污染小时数最少）",
    "month after the warm-up (30 days each)": "预热期后的月份（每月30天）",
    "time since the start of the run (days)": "自运行开始的时间（天）",
    "reports waiting for a team\n(7-day mean)": "等待执法小组的报告\n（7日均值）",
    "reports waiting for a team": "等待执法小组的报告",
    "report → legal team on site (hours, log scale)": "报告 → 法定执法小组到场（小时，对数刻度）",
    "reports attended within x hours (%)": "x小时内处理的报告（%）",
    "share within the target": "目标时间内的比例",
    "share of all incidents (%)": "占全部事件的比例（%）",
    "share of discovered incidents (%)": "占已发现事件的比例（%）",
    "share of duty and overtime hours (%)": "占值班和加班时间的比例（%）",
    "working hours per officer, idle left out (h)": "每名执法人员的工作时间，不含空闲（小时）",
    "hours after the report, mean (h)": "报告后的小时数，均值（小时）",
    "when the report reached its unit": "报告到达执法单位的时间",
    "pollution-hours / month": "污染小时数/月",
    "pollution-hours per month, mean (h)": "每月污染小时数，均值（小时）",
    "incidents / month": "事件数/月",
    "latitude (°N)": "纬度（°N）",
    "longitude (°E)": "经度（°E）",
    "township without a value": "无数值的乡镇",
    "township → its unit's post": "乡镇 → 所属执法单位驻点",
    "officers posted there": "驻守的执法人员",
    "stationed office": "派驻执法所",
    "squadron base": "中队驻地",
    "central pool": "统筹执法组",
    "integrated-team post": "综合执法队驻点",
    "warm-up (not in the indicators)": "预热期（不计入指标）",
    "best": "最好",
    "worst": "最差",
    "mean rank": "平均排名",
    "months in bottom 3": "排名倒数3位的月数",
    "on site": "现场",
    "on site (h)": "现场（小时）",
    "travel": "路途",
    "travel (h)": "路途（小时）",
    "paperwork": "文书工作",
    "paperwork (h)": "文书工作（小时）",
    "idle": "空闲",
    "idle (h)": "空闲（小时）",
    "overtime (h)": "加班（小时）",
    "diverted work": "被挪用的工作",
    "diverted work (h)": "被挪用的工作（小时）",
    "planned inspections (h)": "计划检查（小时）",
    "utilisation": "工作负荷",
    "grid patrols": "网格巡查",
    "citizens": "群众举报",
    "sensors": "监测点",
    "upper-level inspections": "上级检查",
    "channels": "渠道",
    "mean response (h)": "平均响应（小时）",
    "median (h)": "中位数（小时）",
    "90th percentile (h)": "第90百分位（小时）",
    "Response time, mean": "响应时间均值",
    "Response time, median": "响应时间中位数",
    "Response time, 90th percentile": "响应时间第90百分位数",
    "better": "更好",
    "worse": "更差",
    "no clear difference": "无明显差异",
    "Officer utilisation, mean": "执法人员工作负荷均值",
    "Overtime per officer": "每名执法人员的加班时间",
    "Pollution-hours per incident": "每起事件的污染小时数",
    "Wait for a legal team": "等待组成法定执法小组的时间",
    "Reports with a team on site within 4 h": "4小时内执法小组到场的报告",
    "What each variant changes": "各方案带来的变化",
    "Response time by county: what each variant changes": (
        "各县（市、区）响应时间：各方案带来的变化"
    ),
    "Monthly township ranking: best and worst townships of each county": (
        "乡镇月度排名：各县（市、区）最好和最差的乡镇"
    ),
    "Response time, mean by unit (mean and 95% interval)": (
        "各执法单位平均响应时间（均值和95%区间）"
    ),
    "Response time, mean by county (mean and 95% interval)": (
        "各县（市、区）平均响应时间（均值和95%区间）"
    ),
    "Table: response time by unit (every unit)": "表：各执法单位响应时间（全部单位）",
    "mean monthly rank (1 = fewest pollution-hours)": "平均月度排名（1 = 污染小时数最少）",
    "intervals overlapping": "区间重叠",
    "hollow: interval crosses 0": "空心：区间跨过0",
    "higher or lower (neither better nor worse)": "更高或更低（无好坏之分）",
    "higher": "更高",
    "lower": "更低",
    "end": "结束",
    "major": "重大",
    "moderate": "较大",
    "minor": "一般",
    "platform": "平台",
    "wait": "等待",
    "borrow": "借调",
    "go short": "人手不足照常出勤",
    "Table: response time by unit": "表：各执法单位响应时间",
    "Table: hours per officer by unit (mean over officers and replications)": (
        "表：各执法单位每名执法人员的工作时间（执法人员和运行的均值）"
    ),
    "What each variant costs the officers": "各方案对执法人员的负担",
    "Fields that differ between variants": "各方案之间不同的设定",
    "The variants:": "各方案：",
    # table headers
    "indicator": "指标",
    "variant": "方案",
    "variants": "方案",
    "county": "县（市、区）",
    "counties": "县（市、区）",
    "township": "乡镇（街道）",
    "townships": "乡镇（街道）",
    "unit": "执法单位",
    "units": "执法单位",
    "officers": "执法人员",
    "base": "驻地",
    "deployment model": "部署模式",
    "officers posted at": "执法人员驻点",
    "name in the tables": "表中名称",
    "setting": "设定",
    "field": "字段",
    "meaning": "含义",
    "name": "名称",
    "description": "说明",
    "point": "参数点",
    # the scenario's settings (_facts)
    "horizon / warm-up (days)": "模拟期 / 预热期（天）",
    "units written in the file": "文件中写明的执法单位",
    "units generated from a head count": "按人数生成的执法单位",
    "team size / shortfall policy": "执法小组人数 / 人手不足时的做法",
    "dispatch order / chaining": "派遣顺序 / 连续出勤",
    "diverted share of duty": "被挪用的值班时间比例",
    "burden shifting": "责任转嫁",
    "officers' duty": "执法人员值班",
    "on call off duty": "非值班时间待命",
    "incident types": "事件类型",
    "discovery": "发现方式",
    "grid officers: environmental / source-inspection share": "网格员：环保工作 / 污染源排查比例",
    "citizens: report rate per day / reward multiplier": "群众：每日举报率 / 奖励倍数",
    "sensors: coverage share": "监测点：覆盖比例",
    "travel: speed (km/h) / circuity": "路途：速度（公里/小时）/ 绕行系数",
    "planned inspections per day (weight 1)": "每日计划检查（权重1）",
    "none": "无",
    "on": "开启",
    "off": "关闭",
    # run details
    "kind": "类型",
    "replications": "重复运行次数",
    "seed": "随机种子",
    "package version": "软件版本",
    "git commit": "代码版本（git）",
    "created (UTC)": "生成时间（UTC）",
    "libraries": "程序库",
    "executor": "执行方式",
    "wall time (s)": "用时（秒）",
    "run time, summed (s)": "运行时间合计（秒）",
    "runs reused from the store": "复用的已存运行",
    "failed runs": "失败的运行",
    "SimPy events": "SimPy事件数",
    "compare": "方案比较",
    "run": "单次运行",
    "sweep": "参数扫描",
    # deployment models as written in the scenario
    "stationed": "派驻",
    "squadron": "划片中队",
    "central": "统筹",
    "integrated": "综合执法",
    # the variants' titles (the first clause of each description in scenarios/)
    "Today's deployment (2019, per the article)": "现行部署（2019年，据文章）",
    "Today's deployment with the article's mechanisms (2019)": "现行部署，含文章所述机制（2019年）",
    "Every county with offices stationed in the townships": "各县均设派驻乡镇的执法所",
    "Every county as zoned squadrons": "各县均采用划片管理的中队",
    "Every county as one central pool": "各县均采用统筹监管",
    "Every county as an integrated county team": "各县均组建县级综合执法队伍",
    "Today's units with a weekend duty team": "现行执法单位加周末值班组",
    "Pujiang as zoned squadrons": "浦江县采用划片管理的中队",
    "Pujiang with offices stationed in the townships": "浦江县设派驻乡镇的执法所",
    "Pujiang as one central pool": "浦江县采用统筹监管",
    "Pujiang as an integrated county team": "浦江县组建县级综合执法队伍",
    "Today's rota (2019, per the article)": "现行值班制度（2019年，据文章）",
    "A weekend duty team in every county": "各县设周末值班组",
    "A night on-call team in every county": "各县设夜间待命组",
    "Officers called out for moderate incidents too": "较大事件也召回执法人员",
    "A seven-day staggered week": "七天错峰工作制",
    "Full-time grid officers": "专职网格员",
    "Grid patrols aimed at pollution sources": "网格巡查聚焦污染源",
    "Micro monitoring points in every township": "每个乡镇设小微监测点",
    "Rewarded reporting": "有奖举报",
    "Faster information sharing": "更快的信息共享",
    "Diverted work given back to the grids": "被挪用的工作交还网格",
    "Burden shifting made explicit": "明确建模责任转嫁",
    "Half as many officers again (150)": "执法人员增加一半（150名）",
    "Twice today's officers (200)": "执法人员加倍（200名）",
    "The 2018 reform alone": "仅2018年改革",
    "Proposals 1 to 3 on today's layout": "现行布局上实施建议1至3",
    "Proposal 4 alone, legal and moral education": "仅建议4：法治与德治教育",
    "The reform and all four proposals": "改革加全部四项建议",
    "Jinhua 2019 per the article": "金华2019年（据文章）",
}

# Jinhua's counties, for region tables without a ``county_zh`` column (the examples);
# a region table's own names come first (``names.region_names``)
COUNTIES = {
    "Wucheng": "婺城区", "Jindong": "金东区", "Lanxi": "兰溪市", "Dongyang": "东阳市",
    "Yiwu": "义乌市", "Yongkang": "永康市", "Pujiang": "浦江县", "Wuyi": "武义县",
    "Panan": "磐安县",
}  # fmt: skip

CATALOGUE: dict[str, str] = {**WORDS, **COUNTIES, **_indicator_messages()}

# figure texts with numbers or names in them: (whole-text pattern, Chinese template); each
# group is translated in turn ({0}, {1}, ...), so a variant's key or a county inside reads
# in Chinese too. Tried only when no whole text matches.
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), template)
    for pattern, template in (
        (r"(.+): (\d+(?:\.\d+)?%) within (\d+(?:\.\d+)?) h", "{0}：{2}小时内{1}"),
        (r"(.+): slowest (\d+) of (\d+) units", "{0}：最慢的{1}个单位（共{2}个）"),
        (r"(.+): busiest (\d+) of (\d+) units", "{0}：最忙的{1}个单位（共{2}个）"),
        (r"(.+) \((\d+) officers?\)", "{0}（{1}名执法人员）"),
        (r"(.+) \(([^()]+) (\d+(?:\.\d+)?) h\)", "{0}（{1} {2}小时）"),
        (r"(.+) \((\d+) townships ranked\)", "{0}（{1}个乡镇参与排名）"),
        (r"overlaps (\d+) of (\d+)", "与{1}个中的{0}个重叠"),
        (r"(\d+) of (\d+)", "{0}/{1}"),
        (r"difference from (.+) \(h\)", "与{0}之差（小时）"),
        (r"difference from (.+) \(percentage points\)", "与{0}之差（百分点）"),
        (r"(.+) − (.+)", "{0} − {1}"),
        (
            r"Each variant minus (.+): paired difference and 95% interval "
            r"\(same incidents in every variant\)",
            "各方案减去{0}：配对差异及95%区间（各方案事件相同）",
        ),
        (r"Best and worst (\d+) townships of each county — (.+)", "各县最好和最差的{0}个乡镇——{1}"),
        (r"best (\d+)", "最好的{0}个"),
        (r"worst (\d+)", "最差的{0}个"),
    )
)
