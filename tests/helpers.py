"""Running variations of the example scenario in tests."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from sim.model import Records, simulate
from sim.scenario.load import from_mapping
from sim.world import build_world

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "scenarios" / "examples"


def example_raw() -> dict[str, Any]:
    return yaml.safe_load((EXAMPLES / "pujiang_squadrons.yaml").read_text())


def stationed_offices(east: int = 3, north: int = 3, city: int = 3) -> dict[str, Any]:
    """Pujiang's 15 townships as three stationed offices of the given head counts."""
    return {
        "east": {"model": "stationed", "base_township": "Huangzhai", "officers": east,
                 "townships": ["Huangzhai", "Baima", "Zhengjiawu", "Zhengzhai", "Yantou"]},
        "north": {"model": "stationed", "base_township": "Yuzhai", "officers": north,
                  "townships": ["Tanxi", "Dafan", "Zhongyu", "Hangping", "Yuzhai"]},
        "city": {"model": "stationed", "base_township": "Puyang", "officers": city,
                 "townships": ["Puyang", "Punan", "Xianhua", "Qianwu", "Huaqiao"]},
    }  # fmt: skip


def simulate_raw(raw: dict[str, Any], seed: int = 1, replication: int = 0) -> Records:
    world = build_world(from_mapping(copy.deepcopy(raw), base_dir=EXAMPLES))
    return simulate(world, seed, replication)


# Township-level units per Jinhua county in the NBS 2019 list (147 in all).
NBS_COUNTS = {
    "Wucheng": 27,
    "Jindong": 11,
    "Wuyi": 18,
    "Pujiang": 15,
    "Panan": 14,
    "Lanxi": 16,
    "Yiwu": 14,
    "Dongyang": 18,
    "Yongkang": 14,
}
