"""The scenario explorer (sim/app): its logic as plain functions, the page through
Streamlit's own headless harness (``AppTest``), and the progress hook of ``RunOptions``.

The page's numbers must be the command line's: a run on the page equals ``sim.compare`` on
the compare file the page wrote, with the same seed; a bad upload shows the one line the
CLI prints; and nothing is written outside the session's temporary folder.
"""

from __future__ import annotations

import dataclasses
import gc
import io
import tempfile
import zipfile

import pytest
from helpers import EXAMPLES, ROOT

import sim
from sim.app import keys as K
from sim.app import session as S
from sim.app import uploads as U
from sim.errors import ScenarioError
from sim.scenario import load_scenario
from sim.world import build_world

PAGE = ROOT / "sim" / "app" / "main.py"
PUJIANG = list(S.BUNDLED)[0]


def _bad_yaml() -> bytes:
    text = (EXAMPLES / "pujiang_squadrons.yaml").read_text()
    return text.replace("  team_size: 2\n", "  team_size: 2\n  bogus_field: 3\n").encode()


# ----------------------------------------------------------------------------- logic


def test_unchanged_levers_edit_nothing():
    loaded = S.load_bundled(PUJIANG)
    levers = dataclasses.replace(
        S.starting_levers(loaded), counties={"Pujiang": S.starting_county(loaded, "Pujiang")}
    )
    assert S.edits(loaded, levers) == {}
    assert S.starting_county(loaded, "Pujiang") == S.CountyLevers("squadron", 9, "none")


def test_plan_files_rerun_as_the_cli_would(tmp_path):
    """The compare file reruns through ``sim.compare``; the edited scenario alone through
    ``load_scenario`` (``enforcement-sim run``), with the head count and levers changed,
    the hand-written units of the chosen county replaced, and its weekend team."""
    loaded = S.load_bundled(PUJIANG)
    levers = dataclasses.replace(
        S.starting_levers(loaded),
        counties={"Pujiang": S.CountyLevers("squadron", 12, "weekend_team")},
        sensor_coverage=0.5,
        fulltime_grid=True,
        shortfall="go_alone",
        replications=2,
    )
    files = S.write_plan(tmp_path, loaded, levers)
    edited = load_scenario(files.edited).scenario
    assert edited.units == {}
    assert edited.counties["Pujiang"].deployment.officers == 12
    assert edited.discovery.sensors.coverage_share == 0.5
    assert edited.discovery.patrol.environmental_share == 1.0
    assert edited.enforcement.shortfall_policy == "go_alone"
    world = build_world(load_scenario(files.edited))
    assert sum(u.officers for u in world.units) == 12
    assert all(u.duty.rota.weekend_team.per == "county" for u in world.units)
    start = load_scenario(files.starting).scenario
    assert start.units.keys() == loaded.scenario.units.keys()
    assert S.describe(loaded, levers).startswith("Edited: Pujiang: 12 officers")


def test_rota_in_one_county_leaves_the_others(tmp_path):
    loaded = S.load_bundled("Jinhua baseline, 9 counties (calibrated)")
    levers = dataclasses.replace(
        S.starting_levers(loaded),
        counties={"Lanxi": dataclasses.replace(S.starting_county(loaded, "Lanxi"), rota="none")}
        | {"Yiwu": S.CountyLevers("squadron", 14, "weekend_team")},
        replications=1,
    )
    files = S.write_plan(tmp_path, loaded, levers)
    world = build_world(load_scenario(files.edited))
    teams = {u.county: u.duty.rota.weekend_team is not None for u in world.units}
    assert teams["Yiwu"] and not teams["Pujiang"] and not teams["Lanxi"]


def test_upload_errors_are_the_cli_line(tmp_path):
    csv = (EXAMPLES / "pujiang_townships.csv").read_bytes()
    (tmp_path / "bad.yaml").write_bytes(_bad_yaml())
    (tmp_path / "pujiang_townships.csv").write_bytes(csv)
    with pytest.raises(ScenarioError) as cli:
        load_scenario(tmp_path / "bad.yaml")
    with pytest.raises(ScenarioError) as app:
        U.load_upload(tmp_path / "session", "bad.yaml", _bad_yaml(), "p.csv", csv)
    assert str(app.value) == str(cli.value).replace(str(tmp_path / "bad.yaml"), "bad.yaml")
    with pytest.raises(ScenarioError, match="the limit is 1,000,000"):
        U.load_upload(tmp_path / "session", "big.yaml", b"#" * 1_000_001, None, None)
    with pytest.raises(ScenarioError, match="no extends"):
        U.load_upload(tmp_path / "session", "x.yaml", b"extends: ../../secret.yaml\n", None, None)
    with pytest.raises(ScenarioError, match=r"^x.yaml: region.townships_csv: upload its region"):
        U.load_upload(tmp_path / "session", "x.yaml", _bad_yaml(), None, None)
    assert sorted(p.name for p in (tmp_path / "session").iterdir()) == [
        U.SCENARIO_NAME,
        U.REGION_NAME,
    ]  # fixed names: the user's file names are never paths


def test_progress_is_called_and_changes_no_result():
    path = EXAMPLES / "pujiang_squadrons.yaml"
    calls: list[tuple[int, int]] = []
    with_bar = sim.run(path, replications=2, seed=3, progress=lambda k, n: calls.append((k, n)))
    plain = sim.run(path, replications=2, seed=3)
    assert calls == [(1, 2), (2, 2)]
    assert with_bar.summary.equals(plain.summary)
    assert "progress" not in str(with_bar.manifest)
    assert sim.RunOptions(progress=print) == sim.RunOptions()


# ----------------------------------------------------------------------------- the page


@pytest.fixture
def page(tmp_path, monkeypatch):
    """The page in AppTest, with the system's temporary folder and the working folder
    both fresh and empty, to see where the page writes."""
    testing = pytest.importorskip("streamlit.testing.v1")
    (tmp_path / "tmp").mkdir()
    (tmp_path / "cwd").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    monkeypatch.chdir(tmp_path / "cwd")
    at = testing.AppTest.from_file(str(PAGE), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_page_runs_the_comparison_of_the_cli(page, tmp_path):
    results_before = sorted((ROOT / "results").rglob("*")) if (ROOT / "results").exists() else []
    assert page.selectbox(key=K.SCENARIO).value == PUJIANG
    assert page.multiselect(key=K.COUNTIES).value == ["Pujiang"]
    assert page.number_input(key=K.officers_key("Pujiang")).value == 9
    page.number_input(key=K.officers_key("Pujiang")).set_value(12)
    page.number_input(key=K.REPLICATIONS).set_value(3)
    page.button(key=K.RUN).click()
    page.run()
    assert not page.exception and not page.error, (page.exception, page.error)
    shown = page.session_state["_shown"]
    again = sim.compare([shown["files"].compare])  # the CLI's `compare` on the written file
    d = again.differences
    row = d[
        (d["variant"] == S.EDITED) & (d["scope"] == "all") & (d["indicator"] == "response_h_mean")
    ]
    expected = float(row["diff_mean"].iloc[0])
    assert shown["results"].differences.equals(again.differences)
    (metric,) = [m for m in page.metric if K.MEAN_RESPONSE in m.label]
    assert metric.value == f"{expected:+.2f} h"
    assert shown["made"]["paired_differences"].startswith(b"\x89PNG")
    assert len(page.get("image")) == 3  # paired differences, response ECDF, township map
    assert "Run 1 complete." in [c.value for c in page.caption]
    plan = zipfile.ZipFile(io.BytesIO(shown["made"]["plan_zip"])).namelist()
    names = ["compare.yaml", "edited.yaml", "starting.yaml", "townships.csv"]
    assert sorted(plan) == [f"explorer/{n}" for n in names]
    names = zipfile.ZipFile(io.BytesIO(shown["made"]["zip"])).namelist()
    assert "results/manifest.json" in names and "results/variants/edited.yaml" in names
    # written only into the session's folder, under the (patched) temporary folder
    folder = page.session_state["_folder"].path
    assert folder.parent == tmp_path / "tmp"
    assert list((tmp_path / "cwd").iterdir()) == []
    assert (folder / "results" / "manifest.json").is_file()
    after = sorted((ROOT / "results").rglob("*")) if (ROOT / "results").exists() else []
    assert after == results_before


def test_page_shows_a_bad_upload_as_the_cli_line(page, tmp_path):
    if not hasattr(page, "file_uploader"):
        pytest.skip("this Streamlit's AppTest cannot upload files")
    csv = (EXAMPLES / "pujiang_townships.csv").read_bytes()
    page.file_uploader(key=K.UPLOAD_CSV).set_value(("p.csv", csv, "text/csv"))
    page.file_uploader(key=K.UPLOAD_YAML).set_value(("bad.yaml", _bad_yaml(), "text/yaml"))
    page.run()
    (error,) = page.error
    assert error.value.startswith("bad.yaml: enforcement.bogus_field: unknown field")
    assert "\n" not in error.value
    page.file_uploader(key=K.UPLOAD_YAML).set_value(("big.yaml", b"#" * 1_000_001, "text/yaml"))
    page.run()
    (error,) = page.error
    assert error.value == "big.yaml: file is 1,000,001 bytes; the limit is 1,000,000"
    assert list((tmp_path / "cwd").iterdir()) == []


def test_page_shows_a_bad_lever_as_the_cli_line(page):
    page.number_input(key=K.officers_key("Pujiang")).set_value(1)
    page.button(key=K.RUN).click()
    page.run()
    (error,) = page.error
    assert error.value == (
        "compare.yaml: variants.edited.counties.Pujiang.deployment: county 'Pujiang': "
        "1 officer(s) cannot form one team of 2"
    )
    assert "_shown" not in page.session_state


def test_the_session_folder_goes_with_the_session():
    folder = S.SessionFolder()
    path = folder.path
    assert path.is_dir()
    del folder
    gc.collect()
    assert not path.exists()
