"""`enforcement-sim init --province` / `--country`: the starter folder for many counties,
names unique across the whole region, and the staffing search and a sensitivity study
running on a generated scenario unchanged (issue 21, items 2 and 4)."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
import yaml

from sim.cli import main

SHORT = ["--set", "horizon_days=10", "--set", "warmup_days=1"]


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def ningxia(tmp_path_factory):
    """Two small counties of Ningxia (金凤区 7 units, 永宁县 8), named by Chinese and pinyin."""
    out = tmp_path_factory.mktemp("init") / "nx"
    argv = ["init", "--province", "宁夏", "--county", "金凤区", "--county", "Yongning",
            "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    return out


def test_a_province_subset_has_its_counties_blocks(ningxia):
    rows = _rows(ningxia / "townships.csv")
    assert len(rows) == 15 and {r["county"] for r in rows} == {"Jinfeng", "Yongning"}
    text = yaml.safe_load((ningxia / "scenario.yaml").read_text(encoding="utf-8"))
    assert set(text["counties"]) == {"Jinfeng", "Yongning"} and text["name"] == "ningxia"
    assert "Size:" not in (ningxia / "README.md").read_text(encoding="utf-8")


def test_the_whole_province_goes_to_its_pinyin_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["init", "--province", "640000"]) == 0
    rows = _rows(tmp_path / "scenarios" / "ningxia" / "townships.csv")
    assert len(rows) == 264 and len({r["county"] for r in rows}) == 22
    assert len({r["township"] for r in rows}) == 264
    err = capsys.readouterr().err
    assert err.startswith("warning: ") and err.count("\n") == 1


def test_same_named_counties_are_told_apart_by_prefecture(tmp_path):
    """朝阳区 is a district of Beijing and of Changchun: across the country the county
    names, and so the township names that need one, stay unique."""
    argv = ["init", "--country", "--county", "110105", "--county", "220104", "--out",
            str(tmp_path)]  # fmt: skip
    assert main(argv) == 0
    rows = _rows(tmp_path / "townships.csv")
    assert {r["county"] for r in rows} == {"Chaoyang (Beijing)", "Chaoyang (Changchun)"}
    assert len({r["township"] for r in rows}) == len(rows)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], "one of the arguments --city --province --country is required"),
        (["--city", "330700", "--country"], "not allowed with"),
        (["--province", "330700"], "is a prefecture, not a province (use --city 330700)"),
        (["--province", "Zhejiang", "--county", "Yiwuu"], "did you mean 330782 义乌市"),
        (["--country", "--county", "朝阳区"], "names 2 counties"),
    ],
)
def test_bad_area_options_are_one_line_exit_2(argv, expected, tmp_path, capsys):
    try:
        code = main(["init", *argv, "--out", str(tmp_path / "x")])
    except SystemExit as stop:  # argparse's own errors (the options' grammar)
        code = stop.code
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expected in err, err
    assert not (tmp_path / "x").exists()


def test_the_staffing_search_runs_on_a_generated_scenario(ningxia, tmp_path, capsys):
    out = tmp_path / "staff"
    argv = ["staff", str(ningxia / "scenario.yaml"), "--target", "p90(response_h) <= 48",
            "--model", "squadron", "--replications", "2", "--jobs", "1", "--max-officers", "6",
            "--out", str(out), "--no-report", *SHORT]  # fmt: skip
    assert main(argv) == 0
    table = pd.read_csv(out / "staffing.csv")
    assert set(table["county"]) >= {"Jinfeng", "Yongning"}
    assert "city total" in capsys.readouterr().out


def test_a_morris_study_runs_on_a_generated_scenario(ningxia, tmp_path):
    study = ningxia / "study.yaml"
    rates = [f"incident_types.{t}.rate_per_day" for t in ("wastewater", "air_odour")]
    study.write_text(yaml.safe_dump({
        "base": "scenario.yaml", "method": "morris", "samples": 2, "replications": 1,
        "seed": 7, "outputs": ["incidents", "response_h_mean"],
        "inputs": {"rates": {"paths": rates, "scale": True, "range": [0.5, 2.0]},
                   "speed": {"path": "travel.speed_kmh", "range": [20, 60]}},
    }, sort_keys=False), encoding="utf-8")  # fmt: skip
    out = tmp_path / "sens"
    argv = ["sensitivity", str(study), "--out", str(out), "--jobs", "1", "--no-audit",
            "--no-report", *SHORT]  # fmt: skip
    assert main(argv) == 0
    indices = pd.read_csv(out / "indices.csv")
    assert {"rates", "speed"} <= set(indices["input"])


@pytest.mark.slow
def test_the_country_folder_is_written_with_unique_names(tmp_path, capsys):
    """All of mainland China: 42,950 units less the 5 gone since 2016, 2,855 counties,
    every name unique; the README says why the folder is not run whole today."""
    assert main(["init", "--country", "--out", str(tmp_path)]) == 0
    rows = pd.read_csv(tmp_path / "townships.csv", dtype=str, keep_default_na=False)
    assert len(rows) == 42945 and rows["county"].nunique() == 2855
    assert rows["township"].is_unique and rows["code"].is_unique
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "Size: it runs in batches of counties" in readme
    assert capsys.readouterr().err.count("\n") == 1
