"""The command line and the Python API it mirrors."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
import yaml

import sim
from sim.cli import main

FILES = {
    "incidents.parquet",
    "inspections.parquet",
    "officers.parquet",
    "assignments.parquet",
    "summary.json",
    "summary.csv",
    "summary_by_replication.csv",
    "scenario.yaml",
    "manifest.json",
}
INCIDENT_COLUMNS = {
    "replication",
    "incident_id",
    "county",
    "township",
    "unit",
    "type",
    "severity",
    "start_h",
    "discovered_h",
    "channel",
    "reported_h",
    "team_formed_h",
    "arrived_h",
    "done_h",
    "officers_present",
    "travel_km",
    "pollution_hours",
    "status",
}


def test_run_writes_results_folder_and_it_loads_back(tmp_path, example_path, capsys):
    out = tmp_path / "res"
    assert main(["run", str(example_path), "--out", str(out), "--replications", "2"]) == 0
    printed = capsys.readouterr().out
    assert "response time, 90th percentile (h)" in printed and str(out) in printed
    assert {p.name for p in out.iterdir()} >= FILES
    res = sim.load_results(out)
    assert set(res.incidents.columns) >= INCIDENT_COLUMNS
    assert {
        "replication",
        "officer",
        "unit",
        "onsite_hours",
        "travel_hours",
        "paperwork_hours",
        "idle_hours",
    } <= set(res.officers.columns)
    assert sorted(res.incidents["replication"].unique()) == [0, 1]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 20190121 and manifest["replications"] == 2
    assert manifest["version"] == sim.__version__ and "numpy" in manifest["libraries"]
    headline = json.loads((out / "summary.json").read_text())
    assert headline["pujiang-squadrons"]["incidents"]["mean"] > 0


def test_results_folder_reruns_to_identical_tables(tmp_path, example_path):
    first = tmp_path / "a"
    main(["run", str(example_path), "--out", str(first), "--quiet", "--seed", "4"])
    second = tmp_path / "b"
    assert main(["run", str(first / "scenario.yaml"), "--out", str(second), "--quiet"]) == 0
    a, b = sim.load_results(first), sim.load_results(second)
    pd.testing.assert_frame_equal(a.incidents, b.incidents)
    pd.testing.assert_frame_equal(a.summary, b.summary)


def test_process_pool_gives_the_same_tables_as_serial(example_path):
    serial = sim.run(example_path, replications=2, seed=8)
    pooled = sim.run(example_path, replications=2, seed=8, jobs=2)
    pd.testing.assert_frame_equal(serial.incidents, pooled.incidents)
    pd.testing.assert_frame_equal(serial.officers, pooled.officers)
    pd.testing.assert_frame_equal(serial.summary, pooled.summary)


def test_set_overrides_a_field_by_dotted_path(tmp_path, example_path):
    out = tmp_path / "o"
    main(
        [
            "run",
            str(example_path),
            "--out",
            str(out),
            "--quiet",
            "--set",
            "units.east_squadron.officers=5",
            "--set",
            "horizon_days=60",
        ]
    )
    resolved = yaml.safe_load((out / "scenario.yaml").read_text())
    assert resolved["units"]["east_squadron"]["officers"] == 5
    assert resolved["horizon_days"] == 60
    res = sim.load_results(out)
    assert res.incidents["start_h"].max() < 60 * 24
    assert (res.officers["unit"] == "east_squadron").sum() == 5


def test_variant_extends_a_base_and_replaces_its_units(tmp_path):
    from conftest import EXAMPLES

    loaded = sim.load_scenario(EXAMPLES / "pujiang_central.yaml")
    assert list(loaded.scenario.units) == ["county_pool"]
    assert loaded.scenario.incident_types["wastewater"].rate_per_day == 0.012


def test_validate_and_schema(example_path, capsys):
    assert main(["validate", str(example_path)]) == 0
    assert "ok" in capsys.readouterr().out
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "units" in schema["properties"] and schema["additionalProperties"] is False


def test_python_dash_m_is_the_same_command(example_path):
    out = subprocess.run(
        [sys.executable, "-m", "sim", "validate", str(example_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0 and "ok" in out.stdout


def test_docs_scenario_reference_matches_the_schema():
    from conftest import ROOT

    from sim.scenario.reference import markdown_reference

    page = (ROOT / "docs" / "reference" / "scenario.md").read_text()
    stale = "docs/reference/scenario.md is stale: run `python docs/gen_ref.py`"
    assert markdown_reference() in page, stale


def test_layout_prints_units_that_reproduce_the_generated_run(tmp_path, example_path, capsys):
    gen = ["units={}", "counties.Pujiang.deployment={model: stationed, officers: 9}"]
    assert main(["layout", str(example_path), "--set", gen[0], "--set", gen[1]]) == 0
    units = yaml.safe_load(capsys.readouterr().out)["units"]
    assert sum(u["officers"] for u in units.values()) == 9
    assert all(u["base_township"] in u["townships"] for u in units.values())
    generated = sim.run(example_path, overrides=gen, seed=3)
    written = sim.run(example_path, overrides=[f"units={json.dumps(units)}"], seed=3)
    pd.testing.assert_frame_equal(generated.incidents, written.incidents)


def test_a_variant_replaces_a_distribution_whole(tmp_path):
    from conftest import EXAMPLES

    variant = tmp_path / "v.yaml"
    variant.write_text(
        f"extends: {EXAMPLES / 'pujiang_squadrons.yaml'}\n"
        "discovery: {handover_hours: {patrol: {dist: fixed, value: 2}}}\n"
    )
    loaded = sim.load_scenario(variant)
    assert loaded.scenario.discovery.handover_hours["patrol"].mean == 2


DEFAULT_VARIANTS = {"baseline", "stationed", "squadron", "central", "integrated", "weekend_team"}


def test_compare_with_no_scenario_runs_the_bundled_comparison(tmp_path, capsys):
    """The fast half of the next test: the bundled comparison, without its report (the
    report of a comparison is checked in tests/test_report.py)."""
    out = tmp_path / "default"
    argv = ["compare", "--out", str(out), "--replications", "2", "--jobs", "2", "--quiet",
            "--no-report", "--set", "horizon_days=40", "--set", "warmup_days=5"]  # fmt: skip
    assert main(argv) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert str(out) in last and not (out / "report.html").exists()
    assert set(json.loads((out / "summary.json").read_text())) == DEFAULT_VARIANTS


@pytest.mark.slow
def test_compare_with_no_scenario_ends_with_the_path_of_a_full_report(tmp_path, capsys):
    out = tmp_path / "default"
    argv = ["compare", "--out", str(out), "--replications", "2", "--jobs", "2", "--quiet",
            "--set", "horizon_days=40", "--set", "warmup_days=5"]  # fmt: skip
    assert main(argv) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    report = out / "report.html"
    assert last.endswith(str(report)) and report.exists()
    html = report.read_text()
    assert html.count("<img") >= 6 and html.count("<table") >= 4
    assert 'src="http' not in html and "<script" not in html  # self-contained
    assert set(json.loads((out / "summary.json").read_text())) == DEFAULT_VARIANTS


def test_the_command_line_and_the_api_run_the_same_options_to_the_same_results(
    tmp_path, example_path
):
    argv = ["run", str(example_path), "--out", str(tmp_path / "cli"), "--replications", "2",
            "--seed", "6", "--jobs", "1", "--quiet", "--set", "horizon_days=90"]  # fmt: skip
    assert main(argv) == 0
    by_cli = sim.load_results(tmp_path / "cli")
    options = sim.RunOptions(replications=2, seed=6, overrides=("horizon_days=90",))
    by_object = sim.run(example_path, options, out=tmp_path / "api")
    by_keywords = sim.run(example_path, replications=2, seed=6, overrides=["horizon_days=90"])
    assert by_object.manifest["runs_reused"] == 0  # a folder of its own: really run again
    by_api = sim.load_results(tmp_path / "api")
    for table in ("incidents", "officers", "assignments", "summary"):
        pd.testing.assert_frame_equal(getattr(by_cli, table), getattr(by_api, table))
        pd.testing.assert_frame_equal(getattr(by_object, table), getattr(by_keywords, table))
    for key in ("seed", "replications", "kind", "variants"):
        assert by_cli.manifest[key] == by_api.manifest[key]
