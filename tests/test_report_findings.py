"""The report's findings, what drives them and its caveats: every number in the sentences
equals the table's text for the row its ``data-*`` attributes name, and a verb of
direction appears only where the paired 95% interval excludes zero."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.report import write_report
from sim.report.caveats import caveats, fixed_outcomes
from sim.report.drivers import drivers, off_duty_hours_share
from sim.report.findings import CLAIMS, findings
from sim.report.sentences import clear, rows, titles
from sim.stats.catalogue import fmt, fmt_interval, is_share, possible

ROOT = Path(__file__).resolve().parent.parent
PUJIANG = ROOT / "scenarios" / "examples" / "pujiang_squadrons.yaml"
SHORT = ["horizon_days=60", "warmup_days=5"]
CJK = re.compile(r"[\u3400-\u9fff]")
SPAN = re.compile(
    r'<span class="claim" data-kind="(?P<kind>\w+)" data-variant="(?P<variant>[^"]*)" '
    r'data-indicator="(?P<indicator>\w+)" data-scope="(?P<scope>\w+)" '
    r'data-group="(?P<group>[^"]*)">(?P<text>[^<]*)</span>'
)
LI = re.compile(r'<li data-indicator="([^"]*)" data-variant="([^"]*)" data-scope="\w+">(.*?)</li>')
NUMBER = re.compile(r"^(?P<value>\S+)[^\[]*\[(?P<low>[^,]+), (?P<high>[^\]]+)\]$")
DOWN, UP = ("shortens", "lowers"), ("lengthens", "raises")


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> sim.Results:
    """Today's Pujiang, the same officers on duty around the clock (clearly faster) and
    roads 1 km/h slower (hardly different)."""
    base = tmp_path_factory.mktemp("findings")
    plan = base / "compare.yaml"
    plan.write_text(
        f"name: findings\nbase: {PUJIANG}\nreplications: 3\nvariants:\n  today: {{}}\n"
        "  around_the_clock:\n    description: 'Officers on duty around the clock.'\n"
        "    duty: {always: true}\n"
        "  slower_roads:\n    description: 'Roads 1 km/h slower.'\n"
        "    travel: {speed_kmh: 39}\n"
    )
    return sim.compare([plan], overrides=SHORT, jobs=1, out=base / "compare")


def _check_numbers(html: str, summary: pd.DataFrame, differences: pd.DataFrame) -> int:
    """Every number span equals the table's text of its row; returns how many there were."""
    s = summary.set_index(["variant", "scope", "group", "indicator"])
    d = (
        differences.set_index(["variant", "scope", "group", "indicator"])
        if len(differences)
        else None
    )
    n = 0
    for m in SPAN.finditer(html):
        key = (m["variant"], m["scope"], m["group"], m["indicator"])
        ind = m["indicator"]
        got = NUMBER.match(m["text"].replace("\xa0", " "))
        assert got, m["text"]
        if m["kind"] == "level":
            r = s.loc[key]
            assert got["value"] == fmt(ind, r["mean"]), (key, m["text"])
            low, high = possible(ind, r["ci95_low"], r["ci95_high"])
            assert f"[{got['low']}, {got['high']}]" == fmt_interval(ind, low, high), key
        else:
            assert d is not None, m["text"]
            r = d.loc[key]

            assert got["value"] == _bare(ind, r["diff_mean"]), (key, m["text"])
            table = {_bare(ind, r["diff_ci95_low"]), _bare(ind, r["diff_ci95_high"])}
            assert {got["low"], got["high"]} == table, (key, m["text"])
        n += 1
    return n


def _bare(ind: str, x: float) -> str:
    """A difference as the table writes it, without its sign (and a share's "%")."""
    text = fmt(ind, x, signed=True).lstrip("+-−")
    return text.rstrip("%") if is_share(ind) else text


def _verbs_follow_intervals(html: str, differences: pd.DataFrame, names: dict) -> None:
    d = differences.set_index(["variant", "scope", "group", "indicator"])
    for ind, variants, body in LI.findall(html):
        for m in SPAN.finditer(body):
            if m["kind"] != "difference":
                continue
            assert m["variant"] in variants.split()
            r = d.loc[(m["variant"], m["scope"], m["group"], m["indicator"])]
            before = re.sub(r"<[^>]+>", "", body[: m.start()])
            verbs = [(before.rfind(v), v) for v in DOWN + UP if v in before]
            assert verbs, body
            verb = max(verbs)[1]
            assert clear(r["diff_ci95_low"], r["diff_ci95_high"]), (m["variant"], ind)
            assert (r["diff_mean"] < 0) == (verb in DOWN), (m["variant"], ind, verb)
        # a variant named without a number is one whose interval includes zero
        if ind in {c.indicator for c in CLAIMS}:
            numbered = {m["variant"] for m in SPAN.finditer(body)}
            for v in set(variants.split()) - numbered:
                r = d.loc[(v, "all", "all", ind)]
                assert not clear(r["diff_ci95_low"], r["diff_ci95_high"]), (v, ind)
                assert "No clear difference" in body or "no variant differs clearly" in body
                assert "no variant differs clearly" in body or escape(names[v]) in body


def test_findings_match_the_tables_and_verbs_need_a_clear_interval(compared):
    html = findings(compared)
    assert _check_numbers(html, compared.summary, compared.differences) >= 6
    _verbs_follow_intervals(html, compared.differences, titles(compared))
    # duty around the clock shortens the mean response, clearly, and is the best variant
    d = compared.differences.set_index(["variant", "scope", "indicator"])
    lo, hi = d.loc[
        ("around_the_clock", "all", "response_h_mean"), ["diff_ci95_low", "diff_ci95_high"]
    ]
    assert hi < 0
    assert "<b>Officers on duty around the clock</b> has the shortest mean response" in html
    assert "<b>Mean response time</b>: <em>Officers on duty around the clock</em> shortens" in html
    assert 5 <= html.count("<li") <= 8


def test_no_clear_difference_where_the_interval_crosses_zero():
    """Synthetic differences: one clear fall, one interval across zero."""
    from sim.report.findings import _change_sentence

    claim = CLAIMS[0]
    got = {"a": (-1.5, -1.7, -1.3), "b": (0.1, -0.2, 0.4)}
    text = _change_sentence(claim, "ref", got, {"ref": "Today", "a": "Team A", "b": "Team B"})
    assert text.startswith("<b>Mean response time</b>: <em>Team A</em> shortens it by")
    assert "1.50 hours [1.30, 1.70]" in text
    assert "No clear difference for <em>Team B</em>" in text
    assert 'data-variant="b"' not in text and "lengthens" not in text
    none = _change_sentence(claim, "ref", {"b": got["b"]}, {"ref": "Today", "b": "Team B"})
    assert "no variant differs clearly from Today" in none


def test_chinese_findings_drivers_and_caveats(compared):
    zh = findings(compared, lang="zh")
    assert CJK.search(zh) and "缩短" in zh and "平均响应时间" in zh and "小时" in zh
    assert "Each variant" not in zh and "shortens" not in zh
    _check_numbers(zh.replace(" 小时", " hours"), compared.summary, compared.differences)
    assert "非工作时间" in drivers(compared, lang="zh")
    assert "从未被发现" in caveats(compared, lang="zh")
    assert "shortens" in findings(compared)  # the language does not stick


def test_drivers_split_the_response_hours_by_when_reported(compared):
    html = drivers(compared)
    levels, _ = rows(compared)
    found = re.findall(r'data-variant="(\w+)" data-derived="(\w+)">([^<]+)<', html)
    assert found
    for v, what, text in found:
        reports, hours = off_duty_hours_share(levels, v)
        assert text == fmt("share_reported_on_duty", reports if what == "reports" else hours)
    assert hours > reports  # off-duty reports wait longest: more than their share of hours
    _check_numbers(html, compared.summary, compared.differences)


def test_caveats_name_what_the_deployment_cannot_change(compared):
    same, constant = fixed_outcomes(compared)
    assert "share_undiscovered" in same and "incidents" in same
    assert "response_h_mean" not in same
    html = caveats(compared)
    assert 'data-indicator="share_undiscovered"' in html
    assert "the same in every variant" in html and "assumed discovery rates" in html
    assert _check_numbers(html, compared.summary, compared.differences) == 1
    if constant.get("two_person_compliance") == 1.0:  # the scenario's policy is `wait`
        assert "a team never goes short" in html
    assert "share_compromised" in constant and "township interference" in html
    # inputs the variants vary are the comparison, not a caveat; the rest are listed
    assert "km/h" not in html and "office hours" not in html
    assert "docs/calibration.md" in html and (ROOT / "docs" / "calibration.md").exists()
    assert "<b>Assumptions</b>" in html


def test_single_run_findings_are_levels(tmp_path):
    res = sim.run(PUJIANG, replications=2, overrides=SHORT, jobs=1)
    html = findings(res)
    assert "Half of the reports had a legal team on site within" in html
    assert not any(v in html for v in DOWN + UP)
    assert _check_numbers(html, res.summary, res.differences) >= 4
    assert "Never discovered" in caveats(res) and "the same in every variant" not in caveats(res)


@pytest.mark.slow
def test_default_comparison_opens_with_findings_that_match_its_csv(tmp_path):
    out = tmp_path / "dm"
    res = sim.compare(
        [ROOT / "scenarios" / "jinhua" / "deployment_models.yaml"], replications=2, out=out
    )
    text = write_report(out, results=res).read_text(encoding="utf-8")
    ids = re.findall(r'<section id="(\w+)"', text)
    assert ids[0] == "findings" and ids.index("findings") < ids.index("how")
    summary = pd.read_csv(out / "summary.csv", keep_default_na=False, na_values=[""])
    differences = pd.read_csv(out / "differences.csv", keep_default_na=False, na_values=[""])
    section = text.split('<section id="findings">', 1)[1].split("</section>", 1)[0]
    assert _check_numbers(section, summary, differences) >= 10
    _verbs_follow_intervals(section, differences, titles(res))
    assert "Never discovered" in text and "the same in every variant" in text


def test_sweep_findings_compare_first_and_last_point_without_verbs(tmp_path):
    plan = tmp_path / "sweep.yaml"
    plan.write_text(
        f"name: officers\nbase: {PUJIANG}\nreplications: 2\n"
        "grid:\n  units.east_squadron.officers: [2, 4]\n"
    )
    res = sim.sweep(plan, overrides=SHORT, jobs=1)
    html = findings(res)
    assert "at the first point (units.east_squadron.officers = 2)" in html
    assert "at the last (units.east_squadron.officers = 4)" in html
    assert not any(v in html for v in DOWN + UP)
    assert _check_numbers(html, res.summary, res.differences) >= 8
