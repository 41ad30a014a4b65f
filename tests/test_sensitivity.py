"""Sensitivity studies (issue 17): indices, noise, robust decisions, resume, study files.

Tiny designs on the Pujiang example cut to 20 days; the deeper checks (Sobol' on the
same construction, the command line with its report) are marked slow.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import EXAMPLES, ROOT
from helpers import stationed_offices

import sim
import sim.experiment.experiment as ex
from sim.sensitivity.inputs import InputSpace, UncertainInput, base_value
from sim.sensitivity.rules import flip_rule
from sim.sensitivity.study import is_study_file, read_study

SHORT = ["horizon_days=20", "warmup_days=5"]
RATES = [f"incident_types.{t}.rate_per_day" for t in ("wastewater", "air_odour", "solid_waste")]
# incidents depend on the rates only: rates matter by construction, the sensors' detection
# probability (no sensors in the example) cannot move the count
INPUTS = {
    "rates": {"paths": RATES, "scale": True, "range": [0.5, 2.0]},
    "dummy": {"path": "discovery.sensors.detection_probability", "range": [0.1, 0.9]},
    "speed": {"path": "travel.speed_kmh", "range": [20, 60]},
}


def write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def study(tmp_path: Path, **changes) -> Path:
    inputs = {k: INPUTS[k] for k in ("rates", "dummy")}
    data = {"base": str(EXAMPLES / "pujiang_squadrons.yaml"), "method": "morris",
            "samples": 2, "replications": 2, "seed": 7, "inputs": inputs,
            "outputs": ["incidents", "response_h_mean"]} | changes  # fmt: skip
    return write(tmp_path / "study.yaml", data)


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """A robustness study of two deployment models; its folder and results."""
    tmp = tmp_path_factory.mktemp("robust")
    write(tmp / "cmp.yaml", {
        "base": str(EXAMPLES / "pujiang_squadrons.yaml"),
        "variants": {"squadrons": {},
                     "stationed": {"units": stationed_offices()}},
    })  # fmt: skip
    plan = write(tmp / "robust.yaml", {
        "base": "cmp.yaml", "method": "sobol", "samples": 2, "replications": 1, "seed": 3,
        "inputs": {"speed": INPUTS["speed"], "rates": INPUTS["rates"] | {"range": [1.0, 3.0]}},
        "outputs": ["response_h_mean"], "decision": {"indicator": "response_h_mean"},
    })  # fmt: skip
    res = sim.sensitivity(plan, out=tmp / "whole", overrides=SHORT, audit=False)
    return plan, res


def test_the_input_that_matters_dominates_and_a_dummy_interval_includes_zero(tmp_path):
    res = sim.sensitivity(study(tmp_path), overrides=SHORT, audit=False)
    idx = res.indices[(res.indices["output"] == "incidents")
                      & (res.indices["statistic"] == "mu_star")].set_index("input")  # fmt: skip
    assert idx.at["rates", "value"] > 0 and idx.at["rates", "ci95_low"] > 0
    assert idx.at["rates", "value"] > 100 * max(idx.at["dummy", "value"], 1e-9)
    assert idx.at["dummy", "ci95_low"] <= 0 <= idx.at["dummy", "ci95_high"]
    noise = res.noise.set_index("output")["noise_share"]
    assert set(noise.index) == {"incidents", "response_h_mean"} and (noise >= 0).all()
    assert len(res.sensitivity) == 2 * (2 + 1)  # trajectories x (inputs + 1)


def test_probability_best_and_regret_are_direct_counts_over_the_points(compared):
    _, res = compared
    wide = res.sensitivity.pivot(index="point", columns="variant", values="response_h_mean")
    best = wide.min(axis=1)
    rob = res.robustness.set_index("variant")
    tied = wide.eq(best, axis=0)  # a point where both are best counts half for each
    assert tied.all(axis=1).mean() < 0.5, "the variants must differ for the test to mean much"
    for v in ("squadrons", "stationed"):
        assert rob.at[v, "prob_best"] == pytest.approx((tied[v] / tied.sum(axis=1)).mean())
        assert rob.at[v, "regret_median"] == pytest.approx((wide[v] - best).median())
    assert rob["prob_best"].sum() == pytest.approx(1.0)
    (rule,) = res.rules.itertuples()
    assert rule.share_a_better == pytest.approx((wide["squadrons"] < wide["stationed"]).mean())
    diffs = res.indices[res.indices["subject"] == "squadrons − stationed"]
    assert set(diffs["input"]) == {"speed", "rates"}


def test_a_killed_study_resumes_to_identical_tables(compared, tmp_path, monkeypatch):
    plan, whole = compared
    real, calls = ex.execute, []

    def dies(spec):  # the process is stopped (Ctrl-C) after a few runs
        calls.append(spec)
        if len(calls) > 5:
            raise KeyboardInterrupt
        return real(spec)

    monkeypatch.setattr(ex, "execute", dies)
    out = tmp_path / "killed"
    with pytest.raises(KeyboardInterrupt):
        sim.sensitivity(plan, out=out, overrides=SHORT, audit=False)
    assert len(list((out / "runs").glob("*/done"))) == 5
    monkeypatch.setattr(ex, "execute", real)
    again = sim.sensitivity(plan, out=out, overrides=SHORT, audit=False)
    assert again.manifest["runs_reused"] >= 5  # more when two points of the design coincide
    loaded = sim.load_sensitivity(out)
    for table in ("sensitivity", "sensitivity_by_replication", "indices", "robustness", "rules"):
        pd.testing.assert_frame_equal(getattr(loaded, table), getattr(whole, table),
                                      check_dtype=False)  # fmt: skip


@pytest.mark.slow
def test_the_command_writes_tables_figures_and_a_report(compared, tmp_path, capsys):
    plan, _ = compared
    from sim.cli import main

    out = tmp_path / "cli"
    argv = ["sensitivity", str(plan), "--out", str(out), "--jobs", "1", "--no-audit",
            *sum((["--set", s] for s in SHORT), [])]  # fmt: skip
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "probability best: squadrons" in text and "report written" in text
    for name in ("sensitivity.parquet", "indices.csv", "robustness.csv", "rules.csv",
                 "noise.csv", "report.html", "figures/probability_best.png",
                 "figures/regret.png", "figures/sobol_stationed.png"):  # fmt: skip
        assert (out / name).exists(), name
    assert "When the ranking flips" in (out / "report.html").read_text()


def test_inputs_map_the_unit_interval_onto_ranges_and_distributions():
    space = InputSpace({
        "n": UncertainInput(range=(2, 5)),
        "x": UncertainInput(range=(0.0, 10.0)),
        "t": UncertainInput(dist={"dist": "triangular", "low": 0, "mode": 0, "high": 1}),
        "g": UncertainInput(paths=["a.b", "a.c"], scale=True, range=(0.5, 2.0)),
    })  # fmt: skip
    (lo,), (hi,) = space.values(np.zeros((1, 4))), space.values(np.ones((1, 4)))
    assert (lo["n"], hi["n"], lo["x"], hi["x"], lo["t"], hi["t"]) == (2, 5, 0.0, 10.0, 0.0, 1.0)
    counts = np.bincount([space.inputs["n"].value(u) for u in np.linspace(0, 0.999, 400)])
    assert list(counts[2:]) == [100, 100, 100, 100]  # every whole number equally likely
    base = {"a": {"b": 4, "c": 0.5}}
    assert space.settings({"g": 1.5}, base) == {"a.b": 6, "a.c": 0.75}
    assert base_value(base, "a.c", "inputs.g") == 0.5


def test_a_flip_rule_finds_the_threshold():
    x = pd.DataFrame({"handover": np.arange(20.0), "noise": np.tile([0.0, 1.0], 10)})
    rule, accuracy = flip_rule(x, x["handover"].to_numpy() <= 11, "integrated", "squadron")
    assert accuracy == 1.0 and rule.startswith("if handover <= 11.5: integrated (12 of 12)")


def test_the_jinhua_study_files_name_fields_of_their_base():
    files = [p for p in sorted((ROOT / "scenarios" / "jinhua").glob("*.yaml")) if is_study_file(p)]
    assert len(files) >= 2
    for path in files:
        plan = read_study(path)
        base = path.parent / plan.base
        if "variants" in yaml.safe_load(base.read_text()):
            base = base.parent / yaml.safe_load(base.read_text())["base"]
        resolved = sim.load_scenario(base).scenario.model_dump(mode="json", by_alias=True)
        for name, paths in InputSpace(plan.inputs).paths.items():
            for p in paths:
                base_value(resolved, p, f"{path.name}: inputs.{name}")
        assert all(i.why for i in plan.inputs.values()), "every range says why"


@pytest.mark.slow
def test_sobol_indices_single_out_the_input_that_matters(tmp_path):
    res = sim.sensitivity(study(tmp_path, method="sobol", samples=16, replications=1),
                          overrides=SHORT, audit=False)  # fmt: skip
    idx = res.indices[(res.indices["output"] == "incidents")].set_index(["input", "statistic"])
    assert idx.at[("rates", "ST"), "value"] > 0.8
    for dummy in ("dummy",):
        assert idx.at[(dummy, "ST"), "ci95_low"] <= 0 <= idx.at[(dummy, "ST"), "ci95_high"]


def test_without_salib_the_error_says_how_to_install_it(monkeypatch):
    from sim.errors import ScenarioError
    from sim.sensitivity import design

    monkeypatch.setitem(sys.modules, "SALib.analyze", None)  # as if it were not installed
    with pytest.raises(ScenarioError, match=r"pip install 'SALib>=1.4'"):
        design.sample("morris", ["a"], 2, 4, 0)
