"""Township interference (属地干扰, issue 16): off changes nothing; on, a stationed office's
cases are compromised at about the probability, an independent team's never, and a
compromised case is really softened (shorter on site) or held back (later team)."""

from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd
import pytest
from helpers import EXAMPLES, example_raw, simulate_raw, stationed_offices

from sim.model.incidents import generate_incidents
from sim.model.interference import DELAYED, SOFTENED, draw_interference
from sim.model.streams import Streams
from sim.scenario.load import from_mapping
from sim.stats.indicators import summarise_replication
from sim.world import build_world

P = 0.3
SEED = 3


def _stationed(**interference) -> dict:
    raw = example_raw()
    raw["units"] = stationed_offices(east=3, north=2, city=4)
    if interference:
        raw["enforcement"]["interference"] = interference
    return raw


@pytest.fixture(scope="module")
def officers() -> pd.DataFrame:
    return simulate_raw(_stationed(), seed=SEED).officers


@pytest.fixture(scope="module")
def runs() -> dict[str, pd.DataFrame]:
    """Stationed offices, off and on (the same seed: the same incidents)."""
    return {
        "off": simulate_raw(_stationed(), seed=SEED).incidents,
        "on": simulate_raw(_stationed(probability=P), seed=SEED).incidents,
    }


def _share_bound(p: float, n: int) -> float:
    return 4 * math.sqrt(p * (1 - p) / n)


def test_off_is_bit_identical_to_no_block(runs):
    explicit = simulate_raw(_stationed(probability=0.0, softened_share=0.9), seed=SEED).incidents
    pd.testing.assert_frame_equal(explicit, runs["off"], check_exact=True)
    assert "interference" not in runs["off"].columns


def test_stationed_cases_compromised_at_about_the_probability(runs):
    kind = runs["on"]["interference"]
    n = len(kind)
    compromised = (kind != "none").mean()
    assert abs(compromised - P) < _share_bound(P, n), (compromised, n)
    softened = (kind == "softened").mean()  # default softened_share 0.5
    assert abs(softened - P / 2) < _share_bound(P / 2, n), (softened, n)


def test_softened_cases_are_shorter_on_site_and_delayed_ones_wait(runs):
    off, on = runs["off"], runs["on"]
    onsite_off = (off["done_h"] - off["arrived_h"]).to_numpy()
    onsite_on = (on["done_h"] - on["arrived_h"]).to_numpy()
    both = ~np.isnan(onsite_off) & ~np.isnan(onsite_on)
    kind = on["interference"].to_numpy()
    soft = both & (kind == "softened")
    rest = both & (kind != "softened")
    assert soft.sum() > 10
    np.testing.assert_allclose(onsite_on[soft], 0.5 * onsite_off[soft], rtol=1e-12)
    np.testing.assert_allclose(onsite_on[rest], onsite_off[rest], rtol=1e-12)
    # a delayed report waits at least its hold before a team is formed
    world = build_world(from_mapping(_stationed(probability=P), base_dir=EXAMPLES))
    streams = Streams(SEED, 0)
    drawn = draw_interference(world, generate_incidents(world, streams), streams)
    assert drawn is not None
    held = np.asarray(drawn.held_h)
    assert ((drawn.kind == DELAYED) == (kind == "delayed")).all()
    assert ((drawn.kind == SOFTENED) == (kind == "softened")).all()
    formed = ~np.isnan(on["team_formed_h"].to_numpy())
    late = formed & (kind == "delayed")
    assert late.sum() > 10
    wait = (on["team_formed_h"] - on["reported_h"]).to_numpy()
    assert (wait[late] >= held[late] - 1e-9).all()
    assert wait[late].mean() > wait[formed & (kind == "none")].mean() + 10


def test_independent_teams_are_immune_and_squadrons_less_exposed():
    integrated = example_raw()
    integrated["units"] = {
        "team": {"model": "integrated", "county": "Pujiang", "officers": 9},
    }
    integrated["enforcement"]["interference"] = {"probability": 0.9}
    kind = simulate_raw(integrated, seed=SEED).incidents["interference"]
    assert (kind == "none").all()
    flagged = _stationed(probability=0.9)
    flagged["units"]["east"]["independent"] = True
    inc = simulate_raw(flagged, seed=SEED).incidents
    east = inc["unit"] == "east"
    assert east.sum() > 10 and (inc.loc[east, "interference"] == "none").all()
    assert (inc.loc[~east, "interference"] != "none").mean() > 0.8
    squadrons = example_raw()  # squadrons at the bureau: exposure 0.2
    squadrons["enforcement"]["interference"] = {"probability": 1.0}
    kind = simulate_raw(squadrons, seed=SEED).incidents["interference"]
    share = (kind != "none").mean()
    assert abs(share - 0.2) < _share_bound(0.2, len(kind)), share


def test_variants_see_the_same_draws():
    """Common random numbers: a lower probability only ever removes compromised cases."""
    world = build_world(from_mapping(copy.deepcopy(_stationed(probability=0.2)), EXAMPLES))
    world_hi = build_world(from_mapping(copy.deepcopy(_stationed(probability=0.6)), EXAMPLES))
    streams = Streams(SEED, 0)
    inc = generate_incidents(world, streams)
    lo = draw_interference(world, inc, streams)
    hi = draw_interference(world_hi, inc, streams)
    assert lo is not None and hi is not None
    assert ((lo.kind == 0) | (lo.kind != 0) & (hi.kind != 0)).all()
    assert (hi.kind != 0).sum() > (lo.kind != 0).sum()


def test_indicator_share_compromised(runs, officers):
    window = (5 * 24.0, 60 * 24.0)
    empty = pd.DataFrame({"done": [], "in_warmup": []}, dtype=bool)
    share = {
        name: summarise_replication(inc, empty, officers, window)
        .query("indicator == 'share_compromised'")
        .set_index(["scope", "group"])["value"]
        for name, inc in runs.items()
    }
    assert share["off"][("all", "all")] == 0.0
    assert abs(share["on"][("all", "all")] - P) < 0.1
    assert share["on"][("unit", "east")] > 0 and share["on"][("county", "Pujiang")] > 0
