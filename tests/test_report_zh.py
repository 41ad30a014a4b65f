"""The report in Chinese (``--lang zh``): one language context, translated at the page and
figure seams, drawn with a font that has the characters; English when there is none.

The seams are checked on small stand-ins (fast); the whole report on a small comparison
is ``slow`` (a report takes about 20 s to draw).
"""

from __future__ import annotations

import io
import os
import re
import warnings
from pathlib import Path
from types import SimpleNamespace

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

import sim
from sim.cli import build_parser
from sim.report import figures as F
from sim.report import html as report_html
from sim.report.figures.common import styled
from sim.report.i18n import NO_CJK_FONT, language, tr
from sim.report.page import page
from sim.stats.catalogue import CATALOGUE, label

ROOT = Path(__file__).resolve().parent.parent
COMPARE = ROOT / "scenarios" / "compare_models.yaml"
CJK = re.compile(r"[\u3400-\u9fff]")
NAMES = {"Puyang": "浦阳街道", "Pujiang": "浦江县"}
# .ci/run installs a font and sets this: there the font tests run (and fail without one)
FONT_REQUIRED = os.environ.get("ENFORCEMENT_SIM_REQUIRE_BROWSER") == "1"
needs_font = pytest.mark.skipif(
    F.cjk_font() is None and not FONT_REQUIRED,
    reason="no font with Chinese characters (apt-get install fonts-noto-cjk)",
)


def _missing_glyphs(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_page_translates_headings_nav_and_table_cells_by_whole_text():
    section = ("how", "How to read this", "<table><tr><th>indicator</th><th>township</th>"
               "</tr><tr><td>Puyang</td><td>Puyang and more</td></tr></table>")  # fmt: skip
    english = page("t", "h", "", [section])
    assert '<html lang="en">' in english and "How to read this" in english
    with language("zh", NAMES):
        chinese = page("t", "h", "", [section])
    assert '<html lang="zh-CN">' in chinese
    assert '<a href="#how">阅读说明</a>' in chinese and "<h2>阅读说明</h2>" in chinese
    assert "<th>指标</th><th>乡镇（街道）</th>" in chinese
    assert "<td>浦阳街道</td>" in chinese
    assert "<td>Puyang and more</td>" in chinese  # only whole texts: prose stays as written


def test_texts_with_numbers_in_them_by_pattern():
    with language("zh", {"baseline": "现行部署"}):
        assert tr("central pool (2 officers)") == "统筹执法组（2名执法人员）"
        assert tr("baseline: 46% within 4 h") == "现行部署：4小时内46%"
        assert tr("difference from baseline (h)") == "与现行部署之差（小时）"
        assert tr("something else (2 reports)") == "something else (2 reports)"


def test_every_catalogue_label_has_a_chinese_message():
    with language("zh"):
        for name in CATALOGUE:
            assert CJK.search(tr(label(name))), name
            assert CJK.search(tr(label(name, with_unit=False))), name


@styled
def _toy() -> Figure:
    fig = F.ReportFigure(figsize=(4, 2.5), layout="constrained")
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], label="central pool")
    ax.set_title("Response time")
    ax.set_xlabel(label("response_h_mean"))
    ax.set_yticks([0, 1], labels=["Puyang", "Pujiang"])
    ax.legend()
    return fig


@needs_font
def test_figures_translated_and_drawn_with_the_cjk_font():
    with warnings.catch_warnings(record=True) as caught, language("zh", NAMES):
        warnings.simplefilter("always")
        fig = _toy()
        fig.savefig(io.BytesIO(), format="png", dpi=50)
        fig.savefig(io.BytesIO(), format="svg")
    assert not _missing_glyphs(caught)
    texts = [t.get_text() for t in fig.findobj(Text) if t.get_text()]
    for expected in ("响应时间", "统筹执法组", "浦阳街道", "浦江县", "响应时间均值（小时）"):
        assert expected in texts, (expected, texts)
    font = F.cjk_font()
    assert all(font in t.get_fontfamily() for t in fig.findobj(Text) if CJK.search(t.get_text()))
    english = _toy()  # outside the context: English, the house font
    assert "Response time" in [t.get_text() for t in english.findobj(Text)]


def _stand_in(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """A results folder whose report is one section (the seams, not the figures)."""
    (folder / "townships.csv").write_text(
        "township,name_zh,county,county_zh,lat_deg,lon_deg\nPuyang,浦阳街道,Pujiang,浦江县,29.4,119.9\n",
        encoding="utf-8",
    )

    def build(self: object) -> str:
        table = "<table><tr><th>township</th><th>county</th></tr><tr><td>Puyang</td>"
        return page("t", "h", "", [("headline", "Headline indicators", f"{table}</table>")])

    monkeypatch.setattr(report_html._Report, "build", build)


def _results() -> SimpleNamespace:
    return SimpleNamespace(variants=["a"], scenarios={"a": {}}, manifest={"kind": "run"})


@needs_font
def test_write_report_zh_beside_the_english_one(tmp_path, monkeypatch):
    _stand_in(monkeypatch, tmp_path)
    path = report_html.write_report(tmp_path, results=_results(), lang="zh")
    assert path == tmp_path / "report.zh.html"
    assert not (tmp_path / "report.html").exists()  # the English report is left alone
    html = path.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "<h2>主要指标</h2>" in html
    assert "<td>浦阳街道</td>" in html and "<th>县（市、区）</th>" in html


def test_without_a_cjk_font_one_warning_and_the_english_report(tmp_path, monkeypatch, capsys):
    _stand_in(monkeypatch, tmp_path)
    monkeypatch.setattr(F, "cjk_font", lambda: None)
    path = report_html.write_report(tmp_path, results=_results(), lang="zh")
    assert path == tmp_path / "report.html" and not (tmp_path / "report.zh.html").exists()
    assert '<html lang="en">' in path.read_text(encoding="utf-8")
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [NO_CJK_FONT] and "apt-get install fonts-noto-cjk" in err[0]


def test_command_line_takes_the_language():
    args = build_parser().parse_args(["report", "somewhere", "--lang", "zh"])
    assert args.lang == "zh"
    assert build_parser().parse_args(["report", "somewhere"]).lang == "en"


@pytest.mark.slow
@needs_font
def test_whole_report_in_chinese(tmp_path):
    out = tmp_path / "compare"
    sim.compare([COMPARE], replications=2, overrides=["horizon_days=30", "warmup_days=3"],
                jobs=1, out=out)  # fmt: skip
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = report_html.write_report(out, lang="zh")
    assert not _missing_glyphs(caught)
    html = path.read_text(encoding="utf-8")
    assert path.name == "report.zh.html" and '<html lang="zh-CN">' in html
    for heading in ("主要指标", "响应时间", "地图", "情景设定"):
        assert f"<h2>{heading}</h2>" in html
    assert "<td>浦阳街道</td>" in html and "<td>浦江县</td>" in html  # township, county
    assert "浦江县采用划片管理的中队" in html  # the reference variant's title
    assert "<th>浦江县环境监察中队1（驻浦阳街道）</th>" in html  # a unit's title
    assert any((out / "figures" / "zh").glob("*.png"))
    assert not (out / "report.html").exists()
