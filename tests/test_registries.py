"""A new deployment model or discovery channel is one class: the proof.

The toy model and the toy channel below are defined here, in the test, registered for
the test only, and run end to end through the public API. If adding one ever needs an
edit anywhere else (a list of names in the schema, an ``if`` in the layout code, a
marker table), these tests fail.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import yaml
from conftest import EXAMPLE, EXAMPLES

import sim
from sim.cli import main
from sim.errors import ScenarioError
from sim.model.channels import Channel
from sim.registry import (
    CHANNELS,
    DEPLOYMENT_MODELS,
    DISPATCH_ORDERS,
    SHORTFALL_POLICIES,
    Registry,
)
from sim.report.figures import CHANNELS as FIGURE_CHANNELS
from sim.report.figures import MODEL_MARKERS
from sim.scenario.distributions import Fixed
from sim.scenario.reference import json_schema, markdown_reference
from sim.stats import catalogue
from sim.world.deployment import DeploymentModel, township_point

SHORT = ["horizon_days=120", "warmup_days=10"]
HUB = ["units={}", "counties.Pujiang.deployment={model: hub, officers: 7}"]
DRONE_AFTER_H = 5.0
DRONE_HANDOVER_H = 0.25


class Hub(DeploymentModel):
    """Every officer of the county in one unit, based at its busiest township."""

    name = "hub"
    label = "one hub at the busiest township"
    marker = "*"
    marker_label = "hub"
    zone_townships = None  # one zone: the whole county

    def layout(self, county, officers, team_size):
        busiest = county.townships[int(np.argmax(county.weights))]
        return [{"officers": officers, "townships": county.townships, "base_township": busiest}]

    def base(self, name, unit, county, loaded):
        if unit.base_township is None:
            raise ScenarioError(f"units.{name}.base_township", "a hub needs its base")
        return township_point(loaded, unit.base_township)

    def unit_fields(self, unit, township_names):
        return {"base_township": unit.base.township}


class Drone(Channel):
    """Finds an incident DRONE_AFTER_H hours after it starts, if its own coin says so."""

    name = "drone"
    label = "drones"
    colour = "#17becf"
    handover_hours = Fixed(dist="fixed", value=1.0)

    def find_hours(self, world, inc, streams):
        flies = streams.rng("discovery.drone").random(len(inc)) < 0.5
        return np.where(flies, inc.start_h + DRONE_AFTER_H, np.inf)


def busiest_township() -> str:
    with (EXAMPLES / "pujiang_townships.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return max(rows, key=lambda r: float(r["weight"]))["township"]


def schema_names(path: list[str]) -> list[str]:
    node = json_schema()
    for key in path:
        node = node[key]
    return node["enum"]


MODEL_ENUM = ["$defs", "Deployment", "properties", "model"]
HANDOVER_KEYS = ["$defs", "Discovery", "properties", "handover_hours", "propertyNames"]


def test_a_new_deployment_model_is_one_class(capsys):
    assert "hub" not in schema_names(MODEL_ENUM)
    with DEPLOYMENT_MODELS.temporarily(Hub):
        assert "hub" in schema_names(MODEL_ENUM)
        assert "`hub`" in markdown_reference()
        assert MODEL_MARKERS["hub"] == ("*", "hub")  # how its bases are drawn on maps
        res = sim.run(EXAMPLE, overrides=[*SHORT, *HUB], seed=5)
        assert set(res.officers["unit"]) == {"pujiang-hub-1"}
        assert len(res.officers) == 7
        assert set(res.officers["post"]) == {busiest_township()}
        assert set(res.incidents["unit"]) == {"pujiang-hub-1"}
        assert res.incidents["arrived_h"].notna().any()

        # the layout it prints is the model's own, and runs the same as hand-written units
        assert main(["layout", str(EXAMPLE), *(a for o in HUB for a in ("--set", o))]) == 0
        units = yaml.safe_load(capsys.readouterr().out)["units"]
        assert units == {
            "pujiang-hub-1": {
                "model": "hub",
                "county": "Pujiang",
                "officers": 7,
                "townships": list(units["pujiang-hub-1"]["townships"]),
                "base_township": busiest_township(),
            }
        }
        assert len(units["pujiang-hub-1"]["townships"]) == 15
        written = sim.run(EXAMPLE, overrides=[*SHORT, f"units={json.dumps(units)}"], seed=5)
        assert written.incidents.equals(res.incidents)
    assert "hub" not in schema_names(MODEL_ENUM)
    with pytest.raises(ScenarioError, match="unknown deployment model 'hub'"):
        sim.load_scenario(EXAMPLE, overrides=HUB)


def test_a_new_channel_is_one_class():
    base = sim.run(EXAMPLE, overrides=SHORT, seed=5).incidents
    assert "drone" not in schema_names(HANDOVER_KEYS)
    handover = f"discovery.handover_hours.drone={{dist: fixed, value: {DRONE_HANDOVER_H}}}"
    with CHANNELS.temporarily(Drone):
        assert "drone" in schema_names(HANDOVER_KEYS)
        assert FIGURE_CHANNELS[-1] == ("drone", "drones", "#17becf")  # its bar in figures
        res = sim.run(EXAMPLE, overrides=[*SHORT, handover], seed=5)
        # its share of discoveries is labelled in tables and reports like the built-in ones
        assert catalogue.label("share_found_drone") == "found by drones (%)"
        assert catalogue.is_share("share_found_drone")
    inc = res.incidents
    by_drone = (inc["channel"] == "drone").to_numpy()
    assert by_drone.sum() > 10
    found = inc.loc[by_drone & inc["discovered_h"].notna().to_numpy()]  # before the horizon
    np.testing.assert_allclose(found["discovered_h"] - found["start_h"], DRONE_AFTER_H)
    reported = found[found["reported_h"].notna()]
    np.testing.assert_allclose(reported["reported_h"] - reported["discovered_h"], DRONE_HANDOVER_H)
    assert reported["arrived_h"].notna().any()
    # the other channels draw from their own streams: where the drone did not come first,
    # discovery is exactly what it was without drones
    others = inc.loc[~by_drone]
    assert (others["channel"].astype(str) == base.loc[~by_drone, "channel"].astype(str)).all()
    np.testing.assert_array_equal(others["discovered_h"], base.loc[~by_drone, "discovered_h"])
    assert "share_found_drone" in set(res.summary["indicator"])
    assert "drone" not in schema_names(HANDOVER_KEYS)
    with pytest.raises(ScenarioError, match="unknown discovery channel 'drone'"):
        sim.load_scenario(EXAMPLE, overrides=[handover])


def test_registries_are_filled_before_any_scenario_is_validated():
    """Importing only the schema imports the package, which registers every built-in
    entry: a scenario naming any of them validates (in a fresh interpreter)."""
    code = textwrap.dedent(f"""
        import sim.scenario.schema
        from sim.registry import CHANNELS, DEPLOYMENT_MODELS, DISPATCH_ORDERS, SHORTFALL_POLICIES
        from sim.scenario.load import load_scenario
        assert DEPLOYMENT_MODELS.names() == {DEPLOYMENT_MODELS.names()!r}
        assert SHORTFALL_POLICIES.names() == {SHORTFALL_POLICIES.names()!r}
        assert DISPATCH_ORDERS.names() == {DISPATCH_ORDERS.names()!r}
        assert CHANNELS.names() == {CHANNELS.names()!r}
        from sim.stats.catalogue import INDICATORS
        assert all("share_found_" + c in INDICATORS for c in CHANNELS)
        for model in DEPLOYMENT_MODELS:
            dep = "counties.Pujiang.deployment={{model: " + model + ", officers: 9}}"
            load_scenario({str(EXAMPLE)!r}, overrides=["units={{}}", dep])
        for policy in SHORTFALL_POLICIES:
            load_scenario({str(EXAMPLE)!r}, overrides=["enforcement.shortfall_policy=" + policy])
        for order in DISPATCH_ORDERS:
            load_scenario({str(EXAMPLE)!r}, overrides=["enforcement.dispatch_order=" + order])
        for channel, c in CHANNELS.items():  # a channel found only during the run is refused
            if c.found_up_front:
                load_scenario({str(EXAMPLE)!r}, overrides=["discovery.model=delay",
                                                           "discovery.channel=" + channel])
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_the_built_in_entries_in_their_order():
    """The channel order is the code stored in records and the tie-break: fixed here."""
    assert CHANNELS.names() == ("patrol", "citizen", "sensor", "inspection", "planned_inspection")
    assert DEPLOYMENT_MODELS.names() == ("stationed", "squadron", "central", "integrated")
    assert SHORTFALL_POLICIES.names() == ("wait", "go_alone", "borrow")
    assert DISPATCH_ORDERS.names() == ("fifo", "severity")


def test_a_registry_refuses_a_second_entry_and_names_the_choices():
    reg: Registry = Registry("colour")
    reg.register("red", name="red")
    reg.register("green", name="green")
    with pytest.raises(ValueError, match="'red' is registered already"):
        reg.register("crimson", name="red")
    with pytest.raises(ScenarioError) as err:
        reg.lookup("gren", "paint.colour")
    assert str(err.value) == (
        "paint.colour: unknown colour 'gren' (did you mean 'green'?); expected one of red, green"
    )
    with reg.temporarily("blue", name="blue"):
        assert reg.names() == ("red", "green", "blue") and reg.index("blue") == 2
    assert "blue" not in reg
