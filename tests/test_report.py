"""Figures and the HTML report, on small run, compare and sweep folders built here."""

from __future__ import annotations

import base64
import re
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

import sim
from sim.report import NoData, write_report
from sim.report import figures as F
from sim.report.page import PNG_DPI
from sim.report.tables import monthly_ranking, ranking_summary
from sim.stats.catalogue import label

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "examples" / "pujiang_squadrons.yaml"
COMPARE = ROOT / "scenarios" / "compare_models.yaml"
SHORT = ["horizon_days=60", "warmup_days=5"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CJK = re.compile(r"[\u3400-\u9fff]")

SECTIONS = {
    "findings", "caveats", "how", "headline", "when", "response", "map", "workload", "backlog",
    "discovery", "ranking", "glossary", "scenario", "manifest", "indicators",
}  # fmt: skip
RECORD_FIGURES = {"response_ecdf", "workload_by_unit", "backlog", "monthly_ranking"}
SUMMARY_FIGURES = {
    "response_by_county", "response_by_unit", "map_response", "discovery_channels",
    "response_by_report_period",
}  # fmt: skip


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("report")
    sim.run(SCENARIO, replications=2, overrides=SHORT, jobs=1, out=base / "run")
    sim.compare([COMPARE], replications=2, overrides=SHORT, jobs=1, out=base / "compare")
    plan = base / "sweep.yaml"
    plan.write_text(
        f"name: officers\nbase: {SCENARIO}\nreplications: 2\n"
        "grid:\n  units.east_squadron.officers: [2, 4]\n"
        "  discovery.citizens.reward_multiplier: [1.0, 2.0]\n"
    )
    sim.sweep(plan, overrides=SHORT, jobs=1, out=base / "sweep")
    return {k: base / k for k in ("run", "compare", "sweep")}


@pytest.fixture(scope="module")
def compared(folders: dict[str, Path]) -> sim.Results:
    return sim.load_results(folders["compare"])


def _has_data(fig: Figure) -> bool:
    return any(
        ax.get_visible() and (ax.lines or ax.collections or ax.patches or ax.images)
        for ax in fig.axes
    )


def _labels(fig: Figure) -> list[str]:
    return [
        text
        for ax in fig.axes
        if ax.get_visible()
        for text in (ax.get_xlabel(), ax.get_ylabel())
        if text
    ]


def _title(fig: Figure) -> str:
    sup = fig.get_suptitle()
    return sup or " ".join(ax.get_title() for ax in fig.axes)


def _figure_calls(folder: Path) -> dict[str, Callable[[sim.Results], Figure]]:
    return {
        "response_ecdf": F.response_ecdf,
        "response_by_county": F.response_by_county,
        "response_by_unit": F.response_by_unit,
        "township_map": lambda r: F.township_map(r, folder=folder),
        "compliance_map": lambda r: F.township_map(
            r, indicator="two_person_compliance", folder=folder
        ),
        "workload_by_unit": F.workload_by_unit,
        "backlog": F.backlog,
        "discovery_channels": F.discovery_channels,
        "response_by_report_period": F.response_by_report_period,
        "monthly_ranking_chart": lambda r: F.monthly_ranking_chart(r, folder=folder),
        "paired_differences": F.paired_differences,
        "county_differences": F.county_differences,
        "township_ranks": lambda r: F.township_ranks(r, folder=folder),
    }


@pytest.mark.parametrize("name", list(_figure_calls(Path("."))))
def test_every_figure_has_data_title_units_and_legend(
    name: str, compared: sim.Results, folders: dict[str, Path]
) -> None:
    fig = _figure_calls(folders["compare"])[name](compared)
    assert isinstance(fig, Figure)
    assert _has_data(fig), f"{name} draws nothing"
    assert _title(fig).strip(), f"{name} has no title"
    labels = _labels(fig)
    assert labels, f"{name} has no axis labels"
    # a unit in brackets on at least one axis of every figure
    assert any("(" in text for text in labels), f"{name}: no unit in {labels}"
    several = name not in {"response_by_unit", "monthly_ranking_chart"}
    if several:  # four variants (or several activities / channels): a legend says which
        assert fig.legends or any(ax.get_legend() for ax in fig.axes), f"{name}: no legend"


def test_sweep_figure_and_what_a_sweep_cannot_draw(folders: dict[str, Path]) -> None:
    res = sim.load_results(folders["sweep"])
    fig = F.sweep_effects(res)
    assert _has_data(fig)
    assert {ax.get_xlabel() for ax in fig.axes} >= {
        "units.east_squadron.officers",
        "discovery.citizens.reward_multiplier",
    }
    assert fig.axes[0].get_legend() or fig.legends  # joined lines for the other parameter
    for fn in (F.response_ecdf, F.workload_by_unit, F.backlog, F.monthly_ranking_chart):
        with pytest.raises(NoData, match="keep-records"):
            fn(res)
    assert _has_data(F.discovery_channels(res))  # from the summary: sweeps have it
    with pytest.raises(NoData):
        F.sweep_effects(sim.load_results(folders["run"]))


def test_map_without_a_folder_uses_the_scenario_source(compared: sim.Results) -> None:
    fig = F.township_map(compared, variants=["integrated"])
    assert _has_data(fig)


def test_no_chinese_text_without_a_cjk_font(
    compared: sim.Results, folders: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(F.maps, "cjk_font", lambda: None)
    fig = F.township_map(compared, variants=["squadron"], folder=folders["compare"], labels=True)
    texts = [t.get_text() for t in fig.findobj(Text)]
    assert "Puyang" in " ".join(texts)
    assert not [t for t in texts if CJK.search(t)]
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font.*")
        fig.canvas.draw()  # a missing glyph (a box) would warn
    # with a CJK font the Chinese names are added next to the romanised ones
    monkeypatch.setattr(F.maps, "cjk_font", lambda: "DejaVu Sans")
    fig = F.township_map(compared, variants=["squadron"], folder=folders["compare"], labels=True)
    assert any("浦阳街道" in t.get_text() for t in fig.findobj(Text))


def test_a_folder_without_results_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(sim.ScenarioError, match="not a results folder"):
        write_report(tmp_path)


def test_monthly_ranking_ranks_each_month_by_pollution_hours(compared: sim.Results) -> None:
    monthly = monthly_ranking(compared, "squadron")
    towns = 15
    assert len(monthly) == towns * monthly["month"].nunique()  # every township, every month
    for _, month in monthly.groupby("month"):
        assert month["rank"].min() == 1 and month["rank"].max() <= towns
        ordered = month.sort_values("rank")
        assert ordered["pollution_hours"].is_monotonic_increasing
    summary = ranking_summary(monthly)
    assert summary["mean_rank"].is_monotonic_increasing
    assert len(summary) == towns


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.imgs: list[str] = []
        self.ids: set[str] = set()
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.tables = 0
        self.headers: list[str] = []
        self._in_th = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if "id" in a:
            self.ids.add(str(a["id"]))
        if tag == "img":
            self.imgs.append(str(a.get("src")))
        if tag == "table":
            self.tables += 1
        self._in_th = tag == "th"
        for key in ("src", "href", "action", "data", "poster"):
            if a.get(key):
                self.urls.append(str(a[key]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "th":
            self._in_th = False

    def handle_data(self, data: str) -> None:
        if self._in_th:
            self.headers.append(data.strip())


@pytest.mark.parametrize("kind", ["run", "compare", "sweep"])
def test_report_is_self_contained_and_complete(kind: str, folders: dict[str, Path]) -> None:
    folder = folders[kind]
    path = write_report(folder)
    assert path == folder / "report.html"
    text = path.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    page.close()

    expected = set(SECTIONS)
    expected |= {"differences"} if kind == "compare" else set()
    expected |= {"sweep"} if kind == "sweep" else set()
    assert expected <= page.ids, expected - page.ids
    figures = SUMMARY_FIGURES | (RECORD_FIGURES if kind != "sweep" else {"sweep_effects"})
    figures |= {"paired_differences"} if kind == "compare" else set()  # the primary figure
    assert {f"fig-{f}" for f in figures} <= page.ids
    assert len(page.imgs) == len(figures) == len(list((folder / "figures").glob("*.png")))
    for src in page.imgs:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1], validate=True).startswith(PNG_MAGIC)
    for f in figures:
        assert (folder / "figures" / f"{f}.png").read_bytes().startswith(PNG_MAGIC)
        assert ET.parse(folder / "figures" / f"{f}.svg").getroot().tag.endswith("svg")
    if kind == "sweep":  # what a sweep cannot draw is said, not silently dropped
        assert all(f"fig-{f}" in page.ids for f in RECORD_FIGURES)

    # nothing to fetch: no scripts, stylesheets or links off the page
    assert not {"script", "link", "iframe", "object", "embed"} & set(page.tags)
    external = [u for u in page.urls if re.match(r"(https?:)?//", u)]
    assert not external
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text)

    # tables with intervals
    assert page.tables >= 4
    assert "response time, mean (h)" in page.headers
    # when reports came, and what each variant costs the officers, beside the headline
    for name in ("response_h_mean_weekend_holiday", "share_reported_on_duty",
                 "callouts_per_officer_week", "overtime_hours_mean"):  # fmt: skip
        assert label(name) in page.headers, name
    assert text.index('id="when"') < text.index('id="response"')
    assert re.search(r"\[\d[\d.,]*, \d[\d.,]*\]", text)  # "12.3 [11.1, 13.5]"
    if kind != "sweep":
        assert "mean rank" in page.headers
        assert (folder / "figures" / "monthly_ranking.csv").exists()
    if kind == "compare":
        # every variant on a map, none dropped; every figure a readable size
        maps = re.findall(r'<figure id="fig-map_response[^"]*" data-variants="([^"]*)"', text)
        assert sorted(v for m in maps for v in m.split("|")) == sorted(
            sim.load_results(folder).variants
        )
        assert text.index('id="fig-paired_differences"') < text.index("<table", text.index(
            'id="differences"'))  # fmt: skip
        # columns by the variants' own names, each minus the reference (named above)
        assert "Pujiang with offices stationed in the townships" in page.headers
        assert "minus <b>Pujiang as zoned squadrons</b>" in text
    for png in (folder / "figures").glob("*.png"):
        height = int.from_bytes(png.read_bytes()[20:24], "big")  # the PNG header's height
        assert height <= F.MAX_FIGURE_INCHES * PNG_DPI, (png.name, height)
    # the report opens with what was found, and explains its words in a glossary
    order = re.findall(r'<section id="(\w+)"', text)
    assert order[:3] == ["findings", "caveats", "how"] and "glossary" in order
    assert '<a href="#glossary">' in text
    if kind == "sweep":
        assert "units.east_squadron.officers" in page.headers
    assert "setting" in page.headers and "SimPy events" in page.headers


def test_every_figure_is_exported_by_its_subject():
    """A new figure is one function in its subject module: the package exports it from the
    module's ``__all__``, so forgetting it there would hide it from notebooks."""
    for subject in F.SUBJECTS:
        drawn = {n for n, fn in vars(subject).items() if getattr(fn, "is_figure", False)}
        assert drawn, subject.__name__
        assert drawn <= set(subject.__all__), (subject.__name__, drawn - set(subject.__all__))
        for name in drawn:
            assert getattr(F, name) is getattr(subject, name)
