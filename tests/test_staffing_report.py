"""Staffing figures and report, on a small ``Staffing`` built here (no simulation)."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from sim.errors import ScenarioError
from sim.report import NoData, write_staffing_report
from sim.report.figures import staffing as SF
from sim.staffing import Staffing, load_staffing

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MODELS = ("squadron", "integrated")
COUNTIES = {"Wucheng": 8, "Pujiang": 10, "Lanxi": 6}  # county -> officers now
MOST = 20
NEEDED = {  # (model, county) -> officers needed; None: not reachable up to MOST
    ("squadron", "Wucheng"): 11,
    ("squadron", "Pujiang"): None,
    ("squadron", "Lanxi"): 4,
    ("integrated", "Wucheng"): 9,
    ("integrated", "Pujiang"): 14,
    ("integrated", "Lanxi"): 5,
}
TARGET = "p90(response_h | severity=major) <= 4"
FIGURES = ("staffing_curves", "staffing_needed", "allocation_gains")


def _value(need: int | None, n: int) -> float:
    """A falling curve that crosses 4 h at ``need`` (or stays above it)."""
    return 6.0 + 8.0 / n if need is None else 3.5 * need / n


def _staffing(allocation: bool = True) -> Staffing:
    curves, table = [], []
    for (m, c), need in NEEDED.items():
        for n in (2, 4, 6, 8, 9, 10, 11, 12, 14, 16, 20):
            v = _value(need, n)
            met = need is not None and n >= need
            curves.append((m, c, n, v, v * 0.85, 3.9 if met else max(v * 1.15, 4.2), met, 20.0))
        curves.append((m, c, 1, np.nan, np.nan, np.nan, False, 20.0))  # no incident measured
        at = need if need is not None else MOST
        v = _value(need, at)
        table.append(
            (m, c, COUNTIES[c], need, "met" if need else f"not reachable up to {MOST}",
             v, v * 0.85, 3.9 if need else v * 1.15, 4.3 if need else np.nan, 20.0)
        )  # fmt: skip
    cols = ["model", "county", "officers", "estimate", "ci95_low", "ci95_high", "met",
            "incidents_per_year"]  # fmt: skip
    tcols = ["model", "county", "officers_now", "officers_needed", "status", "estimate",
             "ci95_low", "ci95_high", "one_fewer_ci95_high", "incidents_per_year"]  # fmt: skip
    table_df = pd.DataFrame(table, columns=tcols)
    table_df["officers_needed"] = table_df["officers_needed"].astype("Int64")
    totals = pd.DataFrame(
        {"model": list(MODELS), "officers_now": [24, 24], "officers_needed": [None, 28],
         "counties_met": [2, 3], "counties": [3, 3], "city_estimate": [np.nan, 3.1],
         "city_ci95_low": [np.nan, 2.8], "city_ci95_high": [np.nan, 3.6]}
    )  # fmt: skip
    totals["officers_needed"] = totals["officers_needed"].astype("Int64")
    steps = []
    for m in MODELS if allocation else ():
        alloc = dict.fromkeys(COUNTIES, 2)
        worst = 20.0
        for k in range(12):  # a frontier: two officers a point, the worst county improving
            c = min(COUNTIES, key=lambda x: alloc[x])
            alloc[c] += 2
            after = 20.0 / (1 + 0.6 * (k + 1))
            total = sum(alloc.values())
            steps.append(
                {"model": m, "total_officers": total, "worst_county": c,
                 "worst_ci95_high": after, "gain_per_officer_h": (worst - after) / 2,
                 **{f"officers.{x}": v for x, v in alloc.items()},
                 "all_met": after <= 4.0, "chosen": total == 30, "spare": 0}
            )  # fmt: skip
            worst = after
    return Staffing(
        target=TARGET,
        label="p90 response_h (severity=major)",
        limit=4.0,
        table=table_df,
        totals=totals,
        curves=pd.DataFrame(curves, columns=cols),
        allocation=pd.DataFrame(steps),
        manifest={"target": TARGET, "seed": 7, "replications": 3,
                  "allocation_total": 30 if allocation else None, "max_officers": MOST,
                  "runs": 40, "runs_reused": 0, "wall_time_s": 1.5, "counties": list(COUNTIES),
                  "independent_counties": True, "variants": list(MODELS), "failures": [],
                  "version": "0.1.0", "created_utc": "2026-01-01T00:00:00+00:00"},
    )  # fmt: skip


@pytest.fixture(scope="module")
def staffing() -> Staffing:
    return _staffing()


def _calls() -> dict[str, Callable[[Staffing], Figure]]:
    return {name: getattr(SF, name) for name in FIGURES}


def _texts(fig: Figure) -> str:
    return " ".join(t.get_text() for t in fig.findobj(Text))


@pytest.mark.parametrize("name", FIGURES)
def test_every_figure_has_title_units_and_legend(name: str, staffing: Staffing) -> None:
    fig = _calls()[name](staffing)
    assert isinstance(fig, Figure)
    assert (
        fig.get_suptitle() or "".join(ax.get_title("left") + ax.get_title() for ax in fig.axes)
    ).strip()
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert all(ax.lines or ax.patches or ax.collections for ax in shown), f"{name} draws nothing"
    assert any(ax.get_xlabel() for ax in shown) and any(ax.get_ylabel() for ax in shown)
    assert fig.legends or any(ax.get_legend() for ax in shown), f"{name}: no legend"
    if name != "staffing_needed":  # the value axis carries the target and its unit
        assert any(ax.get_ylabel().startswith("p90 response_h") or "p90 response_h"
                   in ax.get_ylabel() for ax in shown)  # fmt: skip
        assert any("(h" in ax.get_ylabel() for ax in shown)
    for m in MODELS:
        assert m in _texts(fig), f"{name}: {m} not in the legend"


def test_curves_mark_answer_limit_and_present_head_count(staffing: Staffing) -> None:
    fig = SF.staffing_curves(staffing)
    panels = {ax.get_title("left").split(" (")[0]: ax for ax in fig.axes if ax.get_visible()}
    assert set(panels) == set(COUNTIES)
    for county, ax in panels.items():
        lines = ax.get_lines()
        flat = [ln for ln in lines if len(set(ln.get_ydata())) == 1 and len(ln.get_ydata()) == 2]
        assert any(ln.get_ydata()[0] == 4.0 for ln in flat), f"{county}: no limit line"
        upright = [ln for ln in lines if len(set(ln.get_xdata())) == 1 and len(ln.get_xdata()) == 2]
        assert any(ln.get_xdata()[0] == COUNTIES[county] for ln in upright), county
        rings = [ln.get_xdata()[0] for ln in lines if ln.get_markerfacecolor() == "none"]
        expected = [n for (m, c), n in NEEDED.items() if c == county and n is not None]
        assert sorted(round(x) for x in rings) == sorted(expected), county
        for ln in lines:  # no NaN estimate reaches the plot
            assert np.isfinite(np.asarray(ln.get_ydata(), dtype=float)).all()
    pujiang = " ".join(t.get_text() for t in panels["Pujiang"].texts)
    assert f"not reachable ≤ {MOST}" in pujiang and "needs 14" in pujiang


def test_needed_bars_and_a_hatched_bar_for_not_reachable(staffing: Staffing) -> None:
    fig = SF.staffing_needed(staffing)
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    widths = sorted(round(p.get_width()) for p in bars if not p.get_hatch())
    expected = sorted([*COUNTIES.values(), *(n for n in NEEDED.values() if n is not None)])
    assert widths == expected
    hatched = [p for p in bars if p.get_hatch()]
    assert [round(p.get_width()) for p in hatched] == [MOST]
    assert f"not reachable ≤ {MOST}" in _texts(fig)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(COUNTIES)


def test_allocation_marks_where_every_county_first_meets_it(staffing: Staffing) -> None:
    fig = SF.allocation_gains(staffing)
    top, bottom = fig.axes[:2]
    stars = [ln for ln in top.get_lines() if ln.get_marker() == "*" and len(ln.get_xdata())]
    a = staffing.allocation
    first = a[a["all_met"]].groupby("model")["total_officers"].min()
    rings = [ln for ln in top.get_lines() if ln.get_marker() == "o" and len(ln.get_xdata())]
    assert sorted(float(ln.get_xdata()[0]) for ln in rings) == [30.0, 30.0]  # chosen, per model
    assert sorted(float(ln.get_xdata()[0]) for ln in stars) == sorted(first.astype(float))
    assert f"squadron: every county meets it from {first['squadron']}" in _texts(fig)
    never = _staffing()
    never.allocation.loc[never.allocation["model"] == "integrated", "all_met"] = False
    fig = SF.allocation_gains(never)
    assert "integrated: not every county meets it by 30" in _texts(fig)  # the frontier's end
    assert len([ln for ln in fig.axes[0].get_lines() if ln.get_marker() == "*"]) == 2  # + key
    assert len(bottom.patches) == len(a)  # one gain bar per step and model
    with pytest.raises(NoData, match="no allocation in this search"):
        SF.allocation_gains(_staffing(allocation=False))


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ids: set[str] = set()
        self.urls: list[tuple[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if "id" in a:
            self.ids.add(str(a["id"]))
        for key in ("src", "href", "action", "data", "poster", "srcset"):
            if a.get(key):
                self.urls.append((tag, str(a[key])))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def test_report_is_self_contained_and_complete(tmp_path: Path, staffing: Staffing) -> None:
    staffing.save(tmp_path)
    path = write_staffing_report(tmp_path)  # loaded from the folder, as the CLI's report does
    assert path == tmp_path / "report.html"
    page = _page(path)
    text = " ".join(page.text)
    assert {"how", "answers", "totals", "figures", "allocation", "manifest"} <= page.ids
    assert {f"fig-{f}" for f in FIGURES} <= page.ids
    for word in [*COUNTIES, *MODELS, TARGET, f"not reachable up to {MOST}"]:
        assert word in text, word
    imgs = [u for tag, u in page.urls if tag == "img"]
    assert len(imgs) == len(FIGURES)
    for src in imgs:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1], validate=True).startswith(PNG_MAGIC)
    assert all(u.startswith("#") for tag, u in page.urls if tag != "img"), page.urls
    assert not {"script", "link", "iframe", "object", "embed"} & set(page.tags)
    assert "details" in page.tags  # the allocation steps fold away
    for f in FIGURES:
        assert (tmp_path / "figures" / f"{f}.png").read_bytes().startswith(PNG_MAGIC)
        assert ET.parse(tmp_path / "figures" / f"{f}.svg").getroot().tag.endswith("svg")
    loaded = load_staffing(tmp_path)  # the not-reachable county survives the round trip
    assert loaded.table["officers_needed"].isna().sum() == 1


def test_report_without_allocation_and_with_a_noisy_curve(tmp_path: Path) -> None:
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "allocation_gains.png").write_bytes(PNG_MAGIC)  # stale
    s = _staffing(allocation=False)
    c = s.curves
    c.loc[(c["model"] == "squadron") & (c["county"] == "Wucheng") & (c["officers"] == 6),
          "met"] = True  # fmt: skip
    write_staffing_report(tmp_path, s)
    text = " ".join(_page(tmp_path / "report.html").text)
    assert "no allocation in this search" in text.lower()
    assert text.count("officers also met it") == 1  # a noisy curve is pointed out
    assert "6 officers also met it" in text
    assert not (tmp_path / "figures" / "allocation_gains.png").exists()


def test_a_folder_without_a_search_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="not a staffing folder"):
        write_staffing_report(tmp_path)


def test_value_label_units() -> None:
    s = _staffing(allocation=False)
    assert SF.value_label(s) == "p90 response_h (severity=major) (h)"
    s.target, s.label = "mean(two_person_breach) <= 0.1", "mean two_person_breach"
    assert SF.value_label(s) == "mean two_person_breach"
