"""The documentation: the site builds with every link and anchor resolving, the generated
reference pages match the code, and the README's links point at files that exist."""

from __future__ import annotations

import argparse
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from sim.cli import build_parser

MKDOCS_MISSING = "mkdocs is not installed: pip install -e '.[docs]' (the dev extra includes it)"


def _gen_ref():
    spec = importlib.util.spec_from_file_location("gen_ref", ROOT / "docs" / "gen_ref.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _build(config: Path, site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        check=False,
    )


def test_generated_reference_pages_are_current():
    stale = _gen_ref().stale()
    assert not stale, f"stale generated pages {stale}: run `python docs/gen_ref.py` and commit"


def test_the_site_builds_strictly(tmp_path):
    pytest.importorskip("mkdocs", reason=MKDOCS_MISSING)
    pytest.importorskip("mkdocstrings", reason=MKDOCS_MISSING)
    out = _build(ROOT / "mkdocs.yml", tmp_path / "site")
    assert out.returncode == 0, f"mkdocs build --strict failed:\n{out.stdout}{out.stderr}"
    for page in ("index", "tutorial", "reference/scenario", "reference/cli", "reference/api"):
        assert (tmp_path / "site" / f"{page}.html").exists(), page


def _site_with(tmp_path: Path, text: str) -> Path:
    """A two-page site with the project's own strictness and link validation."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    keep = ("strict", "validation", "markdown_extensions", "use_directory_urls")
    site = {k: config[k] for k in keep if k in config}
    site.update(site_name="links", docs_dir="docs", theme={"name": "mkdocs"})
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(f"# Home\n\n{text}\n")
    (tmp_path / "docs" / "page.md").write_text("# Page\n\n## A section\n\nText.\n")
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(site))
    return tmp_path / "mkdocs.yml"


@pytest.mark.parametrize(
    "link, fails",
    [
        ("[a page](page.md) and [a section](page.md#a-section)", False),
        ("[a missing page](missing.md)", True),
        ("[a missing section](page.md#no-such-section)", True),
        ("[a missing anchor here](#nowhere)", True),
    ],
)
def test_a_broken_link_or_anchor_fails_the_build(tmp_path, link, fails):
    pytest.importorskip("mkdocs", reason=MKDOCS_MISSING)
    out = _build(_site_with(tmp_path, link), tmp_path / "site")
    assert (out.returncode != 0) is fails, out.stdout + out.stderr
    if fails:  # and it says which link
        assert "WARNING" in out.stderr and link.split("(")[1].rstrip(")") in out.stderr


def test_readme_links_point_at_files_that_exist():
    readme = (ROOT / "README.md").read_text()
    targets = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme)
    local = [t for t in targets if "://" not in t]
    assert local, "the README links into docs/"
    missing = [t for t in local if not (ROOT / t).exists()]
    assert not missing, f"README.md links to missing files: {missing}"


def test_every_command_is_in_the_readme():
    """A new command is announced where people look first (the README's table of commands),
    not only in the reference generated from the parser."""
    readme = (ROOT / "README.md").read_text()
    commands = next(
        a.choices for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    )
    missing = [
        c for c in commands if not re.search(rf"enforcement-sim {re.escape(c)}(?![\w-])", readme)
    ]
    assert not missing, f"commands the README does not mention: {missing}"


def test_citation_names_the_package_version():
    import tomllib

    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert citation["cff-version"] == "1.2.0"
    assert citation["version"] == project["version"], "bump CITATION.cff with pyproject.toml"
    assert citation["license"] == "MIT"
