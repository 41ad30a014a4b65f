"""The report's figures answer the comparison and stay a readable size: paired differences
as the primary figure, every variant on a map, unit figures bounded however many units a
layout has, the monthly ranking with intervals over replications."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from PIL import Image

import sim
from sim.report import figures as F
from sim.report import page
from sim.report.figures.differences import WITHIN_TARGET
from sim.report.html import _Report
from sim.report.page import PNG_DPI
from sim.report.tables import kept_incidents, rank_intervals, ranking_by_replication

ROOT = Path(__file__).resolve().parent.parent
COMPARE = ROOT / "scenarios" / "compare_models.yaml"
SHORT = ["horizon_days=40", "warmup_days=5"]  # one 30-day month after the warm-up
BOUND_PX = round(F.MAX_FIGURE_INCHES * PNG_DPI)  # 1,800 px


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bounded") / "compare"
    sim.compare([COMPARE], replications=2, overrides=SHORT, jobs=1, out=out)
    return out


@pytest.fixture(scope="module")
def results(folder: Path) -> sim.Results:
    return sim.load_results(folder)


def _png_size(fig: Figure) -> tuple[int, int]:
    """The PNG the report writes (no tight bounding box: the figure's size at its dpi)."""
    width, height = fig.get_size_inches() * PNG_DPI
    return round(width), round(height)


@pytest.fixture
def png_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The report's figures without their SVG copies, which take as long again to write."""
    real = page.write_file
    monkeypatch.setattr(page, "write_file", lambda path, data: None if callable(data)
                        else real(path, data))  # fmt: skip


def _many(variants: int = 4, units: int = 90, counties: int = 30) -> sim.Results:
    """Results as a city of many units and counties would give: far more rows than a
    figure may draw (summary rows only, plus the officers table)."""
    rng = np.random.default_rng(1)
    names = [f"v{k}" for k in range(variants)]
    rows, officers, diffs = [], [], []
    for v in names:
        for u in range(units):
            m = float(rng.uniform(1, 30))
            rows.append((v, "unit", f"{v}-unit-{u}", "response_h_mean", m, m - 1, m + 1))
            rows.append((v, "unit", f"{v}-unit-{u}", "officers", 3.0, 3.0, 3.0))
            officers.append(
                {"variant": v, "unit": f"{v}-unit-{u}", "replication": 0, "officer": 0,
                 **{c: float(rng.uniform(1, 400)) for c, _, _ in F.ACTIVITY_BARS}}
            )  # fmt: skip
        for c in range(counties):
            m = float(rng.uniform(5, 20))
            rows.append((v, "county", f"county {c}", "response_h_mean", m, m - 1, m + 1))
            if v != names[0]:
                d = float(rng.normal())
                diffs.append((v, "county", f"county {c}", "response_h_mean", d, d - 0.5, d + 0.5))
        for ind in ("response_h_mean", "response_h_p90", "utilisation_mean", "share_undiscovered",
                    *(f"share_found_{c}" for c, _, _ in F.CHANNELS)):  # fmt: skip
            rows.append((v, "all", "all", ind, 0.2, 0.1, 0.3))
            if v != names[0]:
                d = float(rng.normal())
                diffs.append((v, "all", "all", ind, d, d - 0.3, d + 0.3))
    cols = ["variant", "scope", "group", "indicator", "mean", "ci95_low", "ci95_high"]
    dcols = ["variant", "scope", "group", "indicator", "diff_mean", "diff_ci95_low",
             "diff_ci95_high"]  # fmt: skip
    return sim.Results(
        summary=pd.DataFrame(rows, columns=cols).assign(replications=2),
        summary_by_replication=pd.DataFrame(),
        scenarios={v: {"warmup_days": 5, "horizon_days": 60} for v in names},
        manifest={},
        officers=pd.DataFrame(officers),
        differences=pd.DataFrame(diffs, columns=dcols).assign(replications=2),
    )


def test_unit_figures_show_the_worst_units_within_the_bound() -> None:
    res = _many()
    raw = {v: {} for v in res.variants}  # no layout to name the units by: raw names
    checks = {
        "response_by_unit": F.response_by_unit(res, titles=raw),
        "workload_by_unit": F.workload_by_unit(res, titles=raw),
        "discovery_channels": F.discovery_channels(_many(variants=30, units=1, counties=1)),
        "paired_differences": F.paired_differences(res),
        "county_differences": F.county_differences(res),
    }
    for name, fig in checks.items():
        width, height = _png_size(fig)
        assert height <= BOUND_PX and width <= BOUND_PX, (name, width, height)
    # the slowest units of each variant, and the panel says how many of how many
    fig = checks["response_by_unit"]
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    found = [re.fullmatch(r"(v\d): slowest (\d+) of 90 units", t) for t in titles]
    assert all(found) and [m.group(1) for m in found] == [f"v{k}" for k in range(4)]
    shown = int(found[0].group(2))
    assert 3 <= shown < 90
    s = res.summary
    slowest = (
        s[(s["variant"] == "v0") & (s["scope"] == "unit") & (s["indicator"] == "response_h_mean")]
        .nlargest(shown, "mean")["group"]
        .tolist()
    )
    drawn = [t.get_text().split(" (")[0] for t in fig.axes[0].get_yticklabels()]
    assert drawn == slowest
    fewer = F.response_by_unit(res, worst=2, titles=raw)
    assert fewer.axes[0].get_title(loc="left") == "v0: slowest 2 of 90 units"


def test_map_groups_never_drop_a_variant() -> None:
    for n in range(1, 20):
        vs = [f"v{k}" for k in range(n)]
        groups = F.map_groups(vs)
        assert [v for g in groups for v in g] == vs
        assert max(len(g) for g in groups) <= F.MAX_MAP_PANELS
        assert max(len(g) for g in groups) - min(len(g) for g in groups) <= 1  # even
    assert F.map_groups([f"v{k}" for k in range(7)], 6) == [["v0", "v1", "v2", "v3"],
                                                            ["v4", "v5", "v6"]]  # fmt: skip


def test_every_variant_is_on_a_map(
    folder: Path, results: sim.Results, monkeypatch: pytest.MonkeyPatch, png_only: None
) -> None:
    monkeypatch.setattr(F, "MAX_MAP_PANELS", 1)  # two variants: two map figures
    html = "\n".join(_Report(folder, results, 4.0).maps(
        "map_response", "Townships by mean response time", "", "response_h_mean",
        results.variants[:2],
    ))  # fmt: skip
    figures = re.findall(r'<figure id="(fig-map_response[^"]*)" data-variants="([^"]*)"', html)
    assert [f for f, _ in figures] == ["fig-map_response", "fig-map_response_2"]
    drawn = [v for _, vs in figures for v in vs.split("|")]
    assert drawn == results.variants[:2]  # each once, none dropped
    for name, _ in figures:
        size = Image.open(folder / "figures" / f"{name[4:]}.png").size
        assert max(size) <= BOUND_PX, (name, size)


def test_paired_differences_are_the_tables_with_a_verdict(results: sim.Results) -> None:
    d = F.difference_table(results)
    ref = results.variants[0]
    assert set(d["variant"]) == set(results.variants[1:])
    mean = d[d["indicator"] == "response_h_mean"].set_index("variant")
    csv = results.differences
    csv = csv[(csv["scope"] == "all") & (csv["indicator"] == "response_h_mean")]
    for r in csv.itertuples():
        assert mean.loc[r.variant, "diff_mean"] == pytest.approx(r.diff_mean)
    # the share within the target, from the records, paired by replication
    inc = kept_incidents(results)
    inc = inc[inc["reported_h"].notna()]
    within = (
        (inc["arrived_h"] - inc["reported_h"] <= 4.0)
        .groupby([inc["variant"], inc["replication"]])
        .mean()
    )
    v = results.variants[1]
    expect = (within[v] - within[ref]).mean()
    row = d[(d["indicator"] == WITHIN_TARGET) & (d["variant"] == v)].iloc[0]
    assert row["diff_mean"] == pytest.approx(expect)
    # words a reader can trust: a direction only when the interval excludes zero
    assert F.verdict("response_h_mean", -2.0, -1.0) == "better"
    assert F.verdict("response_h_mean", 1.0, 2.0) == "worse"
    assert F.verdict("response_h_mean", -1.0, 2.0) == "unclear"
    assert F.verdict("response_h_mean", np.nan, np.nan) == "unclear"
    assert F.verdict(WITHIN_TARGET, 0.01, 0.02) == "better"
    assert F.verdict("utilisation_mean", 0.01, 0.02) == "higher"
    fig = F.paired_differences(results)
    words = {t.get_text() for ax in fig.axes for t in ax.texts}
    expected = {
        {"better": "better", "worse": "worse", "unclear": "no clear difference"}.get(x, x)
        for x in d["verdict"]
    }
    assert words == expected


def test_ranking_has_intervals_over_replications(
    folder: Path, results: sim.Results, png_only: None
) -> None:
    variant = results.variants[0]
    by_rep = ranking_by_replication(results, variant, folder)
    towns, months, reps = 15, by_rep["month"].nunique(), by_rep["replication"].nunique()
    assert reps == 2 and len(by_rep) == towns * months * reps
    assert (by_rep["rank"] >= 1).all() and (by_rep["rank"] <= by_rep["ranked_among"]).all()
    ranks = rank_intervals(by_rep)
    assert len(ranks) == towns
    ok = ranks.dropna(subset=["ci95_low"])
    assert (ok["ci95_low"] <= ok["mean_rank"]).all() and (ok["mean_rank"] <= ok["ci95_high"]).all()
    assert ranks["overlaps"].between(0, towns - 1).all()
    html = _Report(folder, results, 4.0).ranking()
    csv = pd.read_csv(folder / "figures" / "monthly_ranking.csv")
    assert {"township", "county", "month", "replication", "rank"} <= set(csv.columns)
    assert len(csv) == len(by_rep)  # the full table: every township, month, replication
    assert html.count("<tr><td>") == 6  # the 3 best and 3 worst of Pujiang, not all 15
    assert 'href="figures/monthly_ranking.csv"' in html
    assert re.search(r"Of 15 townships, (\d+ ha(s|ve)|none has) a rank interval", html)


def test_percentage_point_ticks_never_repeat(results: sim.Results) -> None:
    """Small differences in shares (a fraction of a point) once drew "-1 pt -1 pt 0 pt"."""
    fig = F.paired_differences(results)
    fig.canvas.draw()
    pt_axes = [ax for ax in fig.axes if any("pt" in t.get_text() for t in ax.get_xticklabels())]
    assert pt_axes, "no panel in percentage points"
    for ax in pt_axes:
        ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        assert len(ticks) == len(set(ticks)), ticks
