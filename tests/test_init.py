"""`enforcement-sim init --city ...`: a starter scenario folder from the packaged China table
that runs at once, Jinhua's 147 units reproduced, bad cities refused in one line."""

from __future__ import annotations

import csv

import pytest
from conftest import ROOT

from sim.china.changes import CHANGES
from sim.china.scenario_text import DEFAULT_MARK
from sim.cli import main

SHORT = ["--set", "horizon_days=30", "--set", "warmup_days=2", "--replications", "1", "--quiet"]


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def hangzhou(tmp_path_factory):
    out = tmp_path_factory.mktemp("init") / "hangzhou"
    assert main(["init", "--city", "330100", "--out", str(out)]) == 0
    return out


def test_jinhua_has_the_147_units_of_the_hand_made_region(tmp_path, capsys):
    """The 2016 table has 152 units in Jinhua, the NBS 2019 list (scenarios/jinhua/) 147:
    Pan'an merged 19 units into 14 in 2018 (5 gone, 4 recoded). Those known changes are
    applied (sim/china/changes.py), so the generated region has exactly the 147 codes."""
    assert sum(1 for c in CHANGES if not c.new_code) == 5
    assert main(["init", "--city", "330700", "--out", str(tmp_path)]) == 0
    made = {r["code"]: r for r in _rows(tmp_path / "townships.csv")}
    ref = {r["code"]: r for r in _rows(ROOT / "scenarios" / "jinhua" / "townships.csv")}
    assert set(made) == set(ref) and len(made) == 147
    assert all(made[c]["name_zh"] == ref[c]["name_zh"] for c in ref)
    assert "warning" not in capsys.readouterr().err  # every Jinhua unit has a point


def test_hangzhou_runs_from_the_written_folder(hangzhou, tmp_path):
    assert main(["run", str(hangzhou / "scenario.yaml"), "--out", str(tmp_path), *SHORT]) == 0
    assert (tmp_path / "summary.csv").exists() or any(tmp_path.iterdir())


def test_a_subset_of_counties_compares_the_four_models(tmp_path, capsys):
    """--county by pinyin or code, looked up inside the city (Yiwu is also 伊吾县 in
    Xinjiang); the written compare file runs the deployment models on the same incidents."""
    folder = tmp_path / "two"
    assert main(["init", "--city", "Jinhua", "--county", "Yiwu", "--county", "330781",
                 "--out", str(folder), "--model", "stationed"]) == 0  # fmt: skip
    assert len(_rows(folder / "townships.csv")) == 14 + 16
    out = tmp_path / "cmp"
    args = ["compare", str(folder / "deployment_models.yaml"), "--out", str(out), "--no-report"]
    assert main([*args, *SHORT, "--set", "horizon_days=8", "--set", "warmup_days=1"]) == 0
    assert main(["init", "--city", "Jinhua", "--county", "西湖区", "--out", str(tmp_path)]) == 2
    assert "not a county of 330700" in capsys.readouterr().err


def test_carried_defaults_are_marked_and_attribution_kept(hangzhou):
    text = (hangzhou / "scenario.yaml").read_text(encoding="utf-8")
    for key in ("incident_types:", "discovery:", "duty:", "travel:", "enforcement:"):
        before = text[: text.index(f"\n{key}")]
        assert DEFAULT_MARK in before.rsplit("\n\n", 1)[-1], key
    assert "extends" not in text and text.count("deployment: {model: squadron") == 13
    for name in ("README.md", "SOURCES.md"):
        assert "Vonng/adcode" in (hangzhou / name).read_text(encoding="utf-8")


def test_units_without_a_point_are_flagged(hangzhou):
    flagged = [r for r in _rows(hangzhou / "townships.csv") if r["note"]]
    assert flagged and all("no point in the source" in r["note"] for r in flagged)
    assert {r["name_zh"] for r in flagged} >= {"旧县街道", "红山农场"}


def test_a_county_without_any_point_sits_at_its_prefecture_centroid(tmp_path, capsys):
    """奉化市 (330283, Ningbo) has no point at all in the source (recoded in 2016)."""
    assert main(["init", "--city", "330200", "--county", "330283", "--out", str(tmp_path)]) == 0
    rows = _rows(tmp_path / "townships.csv")
    assert len(rows) == 11 and all("prefecture's centroid" in r["note"] for r in rows)
    assert len({(r["lat_deg"], r["lon_deg"]) for r in rows}) == 1
    err = capsys.readouterr().err
    assert err.startswith("warning: 11 unit(s)") and err.count("\n") == 1


def test_refuses_to_overwrite_without_force(hangzhou, capsys):
    assert main(["init", "--city", "330100", "--out", str(hangzhou)]) == 2
    assert "--force" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("city", "expected"),
    [("朝阳区", ["110105", "220104"]), ("Jinhau", ["did you mean", "330700"])],
)
def test_bad_city_is_one_line_exit_2(city, expected, tmp_path, capsys):
    assert main(["init", "--city", city, "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--city" in err
    assert all(e.lower() in err.lower() for e in expected), err
    assert not (tmp_path / "x").exists()
