"""The bundled scenarios are package data: found through importlib.resources from any
working folder, copied out by ``enforcement-sim examples``, and carried by the wheel.

.ci/wheel installs the built wheel into a fresh venv outside the checkout and runs the
defaults; these tests keep the pieces honest without a venv.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tomllib
import zipfile
from importlib import resources
from pathlib import Path

import pytest
from conftest import ROOT

from sim.cli import main
from sim.examples import (
    DEFAULT_COMPARE,
    DEFAULT_SCENARIO,
    DEFAULT_STAFF,
    bundled,
    bundled_files,
    bundled_root,
)
from sim.experiment.plans import compare_variants, is_compare_file
from sim.scenario import load_scenario

SCENARIOS = ROOT / "scenarios"


def _on_disk() -> list[str]:
    return sorted(
        p.relative_to(SCENARIOS).as_posix()
        for p in SCENARIOS.rglob("*")
        if p.is_file() and p.suffix in (".yaml", ".csv", ".md")
    )


def test_bundled_files_resolve_through_importlib_resources(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing may depend on the working folder
    assert (resources.files("sim.bundled") / DEFAULT_SCENARIO).is_file()
    assert bundled_root().samefile(SCENARIOS)  # the checkout's own folder, not a copy
    assert bundled_files() == _on_disk()
    for name in (DEFAULT_SCENARIO, DEFAULT_STAFF):
        assert load_scenario(bundled(name)).scenario.name
    assert is_compare_file(bundled(DEFAULT_COMPARE))
    _, variants = compare_variants(bundled(DEFAULT_COMPARE), [])
    assert len(variants) >= 2


def test_pyproject_lists_every_subpackage():
    """``packages`` is a list (find cannot map ``sim.bundled``), so a new subpackage left
    out of it would be missing from the wheel."""
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = {
        ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "sim").rglob("__init__.py")
    }
    data = {f"sim.bundled.{d.name}" for d in (ROOT / "scenarios").iterdir()
            if d.is_dir() and d.name.isidentifier() and not d.name.startswith("_")}  # fmt: skip
    assert set(tool["packages"]) == found | {"sim.bundled"} | data
    assert tool["package-dir"] == {"sim.bundled": "scenarios"}


def test_examples_copies_a_folder_that_validates(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["examples", "mine"]) == 0
    copied = sorted(
        p.relative_to("mine").as_posix() for p in Path("mine").rglob("*") if p.is_file()
    )
    assert copied == bundled_files()
    scenarios = [p for p in Path("mine").rglob("*.yaml") if not is_compare_file(p)]
    assert main(["validate", *map(str, scenarios)]) == 0  # relative region paths still work
    for plan in (p for p in Path("mine").rglob("*.yaml") if is_compare_file(p)):
        compare_variants(plan, [])
    capsys.readouterr()

    edited = Path("mine/default.yaml")
    edited.write_text("name: mine\n")
    assert main(["examples", "mine"]) == 2  # refuses to overwrite
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: mine: ") and "--force" in err
    assert edited.read_text() == "name: mine\n"

    outside = tmp_path / "outside.yaml"
    outside.write_text("keep\n")
    edited.unlink()
    edited.symlink_to(outside)
    assert main(["examples", "mine", "--force"]) == 0
    assert outside.read_text() == "keep\n"  # the link was replaced, not written through
    assert not edited.is_symlink()
    assert edited.read_text() == bundled(DEFAULT_SCENARIO).read_text()


def test_examples_unwritable_is_one_line(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    assert main(["examples", str(tmp_path / "file" / "sub")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "cannot write" in err


def test_run_default_from_another_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "--replications", "1", "--jobs", "1", "--quiet"]) == 0
    assert (tmp_path / "results" / "default" / "summary.csv").is_file()


def test_validation_report_goes_to_the_current_folder_when_installed(tmp_path, monkeypatch):
    from sim.validation import report

    assert report.default_out() == ROOT / "docs" / "validation.md"
    monkeypatch.setattr(report, "CHECKOUT", tmp_path)  # as in site-packages: no docs/
    assert report.default_out() == Path("validation.md")


@pytest.mark.slow
def test_sdist_and_wheel_carry_the_scenarios(tmp_path):
    """``python -m build`` from a copy of the sources (the wheel is built from the sdist),
    with no setuptools warning (a deprecated license table, a data folder left out)."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        (src / name).write_bytes((ROOT / name).read_bytes())
    for folder in ("sim", "scenarios"):
        subprocess.run(["cp", "-r", str(ROOT / folder), str(src)], check=True)
    dist = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(dist), str(src)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    log = built.stdout + built.stderr
    assert "Deprecat" not in log and "would be ignored" not in log, log[-3000:]
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    assert {f"sim/bundled/{name}" for name in _on_disk()} <= in_wheel
    assert "sim/examples.py" in in_wheel
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in in_wheel)
    with tarfile.open(sdist) as tar:
        in_sdist = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert {f"scenarios/{name}" for name in _on_disk()} <= in_sdist
