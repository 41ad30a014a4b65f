"""User names in figures are drawn as written: a ``$`` in a township, unit, county,
variant or scenario name once started matplotlib's mathtext, which crashed the report
(``ParseFatalException``) on text such as ``$x^$``."""

from __future__ import annotations

import io

import pytest
from conftest import EXAMPLES
from matplotlib.text import Text

import sim
from sim.report import NoData
from sim.report.figures import SUBJECTS, staffing
from sim.report.figures.common import ReportFigure, plain, styled

HOSTILE = "Yan$x^$tou"  # a township name that is broken mathtext


def _draw(names: list[str]) -> ReportFigure:
    fig = ReportFigure()
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], label=names[0])
    ax.set_yticks([0, 1], names)
    ax.set_title(names[0])
    ax.annotate(names[1], (0.5, 0.5))
    ax.legend()
    fig.suptitle(names[1])
    return fig


def test_broken_mathtext_in_every_kind_of_label_is_drawn_as_written():
    names = [HOSTILE, "$\\frac{$"]
    with pytest.raises(ValueError):  # the failure the helper prevents
        _draw(names).savefig(io.BytesIO(), format="png")
    fig = styled(_draw)(names)
    fig.savefig(io.BytesIO(), format="png")
    fig.savefig(io.BytesIO(), format="svg")
    texts = {t.get_text() for t in fig.findobj(Text)}
    assert {plain(HOSTILE), plain("$\\frac{$")} <= texts


def test_a_report_on_a_township_named_with_dollars_draws(tmp_path):
    """A real run whose region has such a township, and every figure drawn from it."""
    csv = (EXAMPLES / "pujiang_townships.csv").read_text(encoding="utf-8")
    (tmp_path / "towns.csv").write_text(csv.replace("Yantou,", f"{HOSTILE},"), encoding="utf-8")
    (tmp_path / "s.yaml").write_text(
        f"extends: {EXAMPLES / 'pujiang_squadrons.yaml'}\n"
        "name: a$b^$\nhorizon_days: 60\nwarmup_days: 10\nregion: {townships_csv: towns.csv}\n",
        encoding="utf-8",
    )
    east = f"units.east_squadron.townships=[Huangzhai, Baima, Zhengjiawu, Zhengzhai, '{HOSTILE}']"
    res = sim.run(tmp_path / "s.yaml", replications=1, jobs=1, out=tmp_path / "out",
                  overrides=[east])  # fmt: skip
    results = sim.load_results(tmp_path / "out")
    assert HOSTILE in set(res.incidents["township"]) | set(res.grid.get("township", []))
    drawn = 0
    for subject in SUBJECTS:
        for name in subject.__all__:
            fn = getattr(subject, name)
            if subject is staffing or not getattr(fn, "is_figure", False):
                continue  # staffing figures are drawn from a staffing search
            try:
                fig = fn(results)
            except NoData:
                continue
            fig.savefig(io.BytesIO(), format="png")
            drawn += 1
    assert drawn >= 5
