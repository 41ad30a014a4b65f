"""Reports opened in a real browser: headless Chromium, driven by Playwright.

The other report tests parse the HTML; only a browser says whether every picture decodes,
whether the page logs errors, and what a reader sees. Playwright is pointed at the
machine's own Chromium (``find_chromium``), never at a browser it downloads. Without a
browser or Playwright these tests skip on a developer's machine, but fail when
``ENFORCEMENT_SIM_REQUIRE_BROWSER=1`` (``.ci/run`` sets it), so CI cannot pass without them.
"""

from __future__ import annotations

import json
import os
import re
import struct
import unicodedata
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from test_staffing_report import _staffing  # the small search those report tests build

import sim
from sim.cli import main
from sim.report import write_report, write_staffing_report
from sim.report.browser import FLAGS, BrowserNotFound, find_chromium

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "examples" / "pujiang_squadrons.yaml"
COMPARE = ROOT / "scenarios" / "compare_models.yaml"
SHORT = ["horizon_days=60", "warmup_days=5"]
REQUIRED = os.environ.get("ENFORCEMENT_SIM_REQUIRE_BROWSER") == "1"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
VIEWPORT = {"width": 1280, "height": 900}


def _unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail where the browser is required (CI)."""
    if REQUIRED:
        pytest.fail(f"{reason} (ENFORCEMENT_SIM_REQUIRE_BROWSER=1: the browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium() -> str:
    try:
        return find_chromium()
    except BrowserNotFound as err:
        _unavailable(str(err))
        raise


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[object]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
        raise
    with sync_playwright() as p:
        args = [f for f in FLAGS if f != "--headless"]  # Playwright adds its own
        launched = p.chromium.launch(executable_path=chromium, args=args)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser")


@pytest.fixture(scope="module")
def compare_report(base: Path) -> Path:
    """The quick comparison of the four models plus a fifth variant: more than the four
    panels the township map once had room for, so a variant dropped from it shows."""
    plan = base / "five.yaml"
    plan.write_text(
        COMPARE.read_text().replace("base: examples/", f"base: {COMPARE.parent}/examples/")
        + "  bigger_squadrons:\n"
        '    description: "Pujiang as zoned squadrons with twelve officers."\n'
        "    units: {}\n"
        "    counties: {Pujiang: {deployment: {model: squadron, officers: 12}}}\n"
    )
    sim.compare([plan], replications=2, overrides=SHORT, jobs=1, out=base / "compare")
    return write_report(base / "compare")


@pytest.fixture(scope="module")
def sweep_report(base: Path) -> Path:
    plan = base / "sweep.yaml"
    plan.write_text(
        f"name: officers\nbase: {SCENARIO}\nreplications: 2\n"
        "grid:\n  units.east_squadron.officers: [2, 4]\n"
    )
    sim.sweep(plan, overrides=SHORT, jobs=1, out=base / "sweep")
    return write_report(base / "sweep")


@pytest.fixture(scope="module")
def staffing_report(base: Path) -> Path:
    _staffing().save(base / "staffing")  # no simulation: the staffing report tests' search
    return write_staffing_report(base / "staffing")


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_MAGIC, f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


KINDS = ["compare", pytest.param("sweep", marks=pytest.mark.slow), "staffing"]


@pytest.mark.parametrize("kind", KINDS)
def test_report_renders_in_a_real_browser(
    kind: str, browser, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    report = request.getfixturevalue(f"{kind}_report")
    page = browser.new_page(viewport=VIEWPORT)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else 0)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    try:
        page.goto(report.as_uri(), wait_until="load")
        images = page.eval_on_selector_all(
            "img", "els => els.map(e => [e.alt || e.src.slice(0, 60), e.naturalWidth])"
        )
        variants = page.eval_on_selector_all(
            'figure[id^="fig-map_response"]', "els => els.map(e => e.dataset.variants || '')"
        )
        shot = tmp_path / f"{kind}.png"
        page.screenshot(path=str(shot), full_page=True)
    finally:
        page.close()
    assert images, f"the {kind} report shows no image"
    broken = [name for name, width in images if width <= 0]
    assert not broken, f"images that did not load in the {kind} report: {broken}"
    assert not errors, f"the {kind} report logged errors: {errors}"
    width, height = _png_size(shot)
    assert width == VIEWPORT["width"] and height > VIEWPORT["height"], (width, height)
    assert shot.stat().st_size > 50_000, "a near-empty screenshot"
    if kind == "compare":  # every variant on the map: none dropped silently
        manifest = json.loads((report.parent / "manifest.json").read_text())
        shown = {v for attr in variants for v in attr.split("|") if v}
        missing = [v for v in manifest["variants"] if v not in shown]
        assert not missing, f"variants missing from the map figures: {missing}"


def _text(html: str) -> str:
    """Words as a reader sees them: tags dropped, entities and ligatures (a PDF's "ﬁ")
    resolved, runs of white space as one space."""
    return " ".join(unicodedata.normalize("NFKC", unescape(re.sub(r"<[^>]+>", " ", html))).split())


@pytest.mark.parametrize("kind", [pytest.param("compare", marks=pytest.mark.slow), "staffing"])
def test_report_prints_to_pdf(
    kind: str, chromium: str, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture
) -> None:
    try:
        from pypdf import PdfReader
    except ImportError:
        _unavailable("pypdf is not installed (pip install -e '.[dev]')")
        raise
    folder = request.getfixturevalue(f"{kind}_report").parent
    assert main(["report", str(folder), "--pdf"]) == 0  # the report rebuilt, then printed
    pdf = folder / "report.pdf"
    assert f"PDF written to {pdf}" in capsys.readouterr().out
    html = (folder / "report.html").read_text(encoding="utf-8")
    heading = _text(re.search(r"<h1>(.*?)</h1>", html, re.S).group(1))
    section = _text(re.search(r"<h2>(.*?)</h2>", html, re.S).group(1))
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 2
    first = _text(reader.pages[0].extract_text())
    assert first.startswith(heading), first[:200]  # the page opens with the report's heading
    assert section in _text(" ".join(page.extract_text() for page in reader.pages))


def test_no_browser_is_one_line_saying_how_to_get_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("ENFORCEMENT_SIM_CHROMIUM", str(tmp_path / "no-such-browser"))
    assert main(["report", str(tmp_path), "--pdf"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "apt-get install chromium" in err
    assert not (tmp_path / "report.html").exists()  # nothing built for nothing


def test_the_browser_named_in_the_environment_comes_first(
    chromium: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENFORCEMENT_SIM_CHROMIUM", chromium)
    monkeypatch.setenv("PATH", "")  # none of the usual names on PATH: only the named one
    assert find_chromium() == chromium
    monkeypatch.delenv("ENFORCEMENT_SIM_CHROMIUM")
    with pytest.raises(BrowserNotFound, match="apt-get install chromium"):
        find_chromium()
