"""The rest of issue 16: the report's section on the article's mechanisms, the township's
hold of a delayed case kept out of the wait for a team, and generated units flagged
independent. Small scenarios only (the Pujiang example, a short horizon)."""

from __future__ import annotations

import copy
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import yaml
from helpers import EXAMPLES, example_raw, simulate_raw, stationed_offices

import sim
from sim.report import html as html_report
from sim.report import write_report
from sim.report.mechanisms_html import INDICATORS, MECHANISMS, mechanisms_section
from sim.scenario.load import from_mapping
from sim.stats.catalogue import CATALOGUE, label
from sim.stats.indicators import summarise_replication
from sim.world import build_world
from sim.world.build import units_as_yaml

SEED = 3
SHORT = {"horizon_days": 60, "warmup_days": 5}


def test_every_mechanism_indicator_is_catalogued():
    assert set(INDICATORS) <= set(CATALOGUE) | {"share_found_planned_inspection"}


def _results(scenarios: dict[str, dict]) -> SimpleNamespace:
    """A results stand-in: two indicators' summaries and paired differences."""
    variants = list(scenarios)
    rows, diffs = [], []
    for k, v in enumerate(variants):
        for ind, mean in (("share_compromised", 0.2 - 0.15 * k), ("incidents", 100.0)):
            rows.append(("all", "all", v, ind, mean, mean - 0.01, mean + 0.01))
            if k:
                d = mean - (0.2 if ind == "share_compromised" else 100.0)
                diffs.append((v, "all", "all", ind, d, d - 0.02, d + 0.02 if d else 0.0))
    cols = ["scope", "group", "variant", "indicator", "mean", "ci95_low", "ci95_high"]
    dcols = ["variant", "scope", "group", "indicator", "diff_mean", "diff_ci95_low"]
    return SimpleNamespace(
        variants=variants,
        scenarios=scenarios,
        summary=pd.DataFrame(rows, columns=cols),
        differences=pd.DataFrame(diffs, columns=[*dcols, "diff_ci95_high"]),
    )


def test_section_in_plain_words_only_when_a_mechanism_is_on():
    off = {"enforcement": {"interference": {"probability": 0.0}}, "education": None}
    on = copy.deepcopy(off)
    on["enforcement"]["interference"]["probability"] = 0.2
    assert mechanisms_section(_results({"a": off, "b": off}), ["a", "b"]) == ""
    html = mechanisms_section(_results({"reference": on, "reform": off}), ["reference", "reform"])
    assert "township interference" in html and "on</td>" in html
    assert label("share_compromised") in html
    assert "15.0 percentage points lower" in html  # 20% -> 5%, interval excludes zero
    assert "incidents in the measured window: no clear change" in html or "the same" in html
    assert "<b>reform</b> against <b>reference</b>" in html


def test_every_mechanism_is_off_by_default():
    sc = build_world(from_mapping(example_raw(), base_dir=EXAMPLES)).scenario.model_dump()
    assert not any(m.on(sc) for m in MECHANISMS)


def test_report_shows_the_section_for_a_compare_with_a_mechanism(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The section in a real report (its figures left out: they are test_report's)."""
    monkeypatch.setattr(html_report._Report, "figure", lambda self, *a: "")
    raw = {**example_raw(), **SHORT}
    raw["region"]["townships_csv"] = str(EXAMPLES / raw["region"]["townships_csv"])
    base = tmp_path / "base.yaml"
    base.write_text(yaml.safe_dump(raw))
    plan = tmp_path / "cmp.yaml"
    plan.write_text(
        f"name: mech\nbase: {base}\nreplications: 2\nvariants:\n  today: {{}}\n"
        "  interfered: {enforcement: {interference: {probability: 0.5}}}\n"
    )
    sim.compare([plan], jobs=1, out=tmp_path / "out")
    text = write_report(tmp_path / "out").read_text(encoding="utf-8")
    assert 'id="mechanisms"' in text and "interfered</b> against <b>today</b>" in text
    assert label("share_compromised", with_unit=False) in text


def _held_runs(p: float) -> pd.DataFrame:
    raw = {**example_raw(), **SHORT}
    raw["units"] = stationed_offices(east=3, north=2, city=4)
    raw["enforcement"]["interference"] = {"probability": p, "softened_share": 0.0}
    return simulate_raw(raw, seed=SEED)


def test_township_hold_is_recorded_apart_from_the_wait_for_a_team():
    rec = _held_runs(0.6)
    inc = rec.incidents
    held = inc["township_hold_hours"].to_numpy()
    delayed = (inc["interference"] == "delayed").to_numpy() & ~np.isnan(held)
    assert delayed.sum() > 5 and (held[delayed] > 0).all()
    assert (held[~delayed & ~np.isnan(held)] == 0).all()
    window = (SHORT["warmup_days"] * 24.0, SHORT["horizon_days"] * 24.0)
    empty = pd.DataFrame({"done": [], "in_warmup": []}, dtype=bool)
    s = summarise_replication(inc, empty, rec.officers, window)
    s = s[s["scope"] == "all"].set_index("indicator")["value"]
    kept = inc[~inc["in_warmup"]]
    formed = kept["team_formed_h"].notna()
    wait = kept["team_formed_h"] - kept["reported_h"] - kept["township_hold_hours"]
    assert s["team_wait_h_mean"] == pytest.approx(wait[formed].mean())
    assert (wait[formed] >= -1e-9).all()  # no team before the hold ends
    reported = kept["reported_h"].notna()
    assert s["township_hold_h_mean"] == pytest.approx(kept["township_hold_hours"][reported].mean())
    assert s["township_hold_h_mean"] > 1
    # the response time still counts the hold: it is what the public waits
    response = kept["arrived_h"] - kept["reported_h"]
    assert s["response_h_mean"] == pytest.approx(response.dropna().mean())
    off = _held_runs(0.0)
    assert "township_hold_hours" not in off.incidents
    s_off = summarise_replication(off.incidents, empty, off.officers, window)
    assert (s_off.query("indicator == 'township_hold_h_mean'")["value"].dropna() == 0).all()


def _generated(independent: bool | None) -> dict:
    raw = {**example_raw(), **SHORT}
    raw["units"] = {}
    dep: dict = {"model": "stationed", "officers": 9}
    if independent is not None:
        dep["independent"] = independent
    raw["counties"]["Pujiang"]["deployment"] = dep
    raw["enforcement"]["interference"] = {"probability": 1.0}
    return raw


def test_generated_units_can_be_declared_independent():
    exposed = simulate_raw(_generated(None), seed=SEED).incidents["interference"]
    assert (exposed != "none").mean() > 0.9
    raw = _generated(True)
    kind = simulate_raw(raw, seed=SEED).incidents["interference"]
    assert len(kind) > 10 and (kind == "none").all()
    world = build_world(from_mapping(copy.deepcopy(raw), base_dir=EXAMPLES))
    assert all(u.independent for u in world.units)
    written = units_as_yaml(world)  # `layout` writes the flag back
    assert all(spec["independent"] is True for spec in written.values())
    plain = build_world(from_mapping(_generated(False), base_dir=EXAMPLES))
    assert not any("independent" in s for s in units_as_yaml(plain).values())
