"""Building small scenarios in tests without files on disk beyond a region CSV."""

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


def simulate_raw(raw: dict[str, Any], seed: int = 1, replication: int = 0) -> Records:
    world = build_world(from_mapping(copy.deepcopy(raw), base_dir=EXAMPLES))
    return simulate(world, seed, replication)


def queue_scenario(
    tmp_path: Path,
    *,
    arrivals_per_hour: float,
    officers: int,
    team_size: int,
    onsite: dict[str, Any],
    days: float,
    warmup_days: float = 20.0,
) -> dict[str, Any]:
    """A textbook queue as an ordinary scenario: one township, no travel, no
    paperwork, immediate reports, officers on duty around the clock."""
    csv = tmp_path / "one.csv"
    csv.write_text("township,county,lat_deg,lon_deg\nSolo,Only,29.0,120.0\n")
    return {
        "name": "queue",
        "horizon_days": days,
        "warmup_days": warmup_days,
        "region": {"townships_csv": str(csv)},
        "counties": {"Only": {"bureau_township": "Solo"}},
        "incident_types": {
            "any": {
                "rate_per_day": arrivals_per_hour * 24,
                "onsite_hours": onsite,
                "paperwork_hours": {"dist": "fixed", "value": 0},
            }
        },
        "discovery": {
            "delay_hours": {"dist": "fixed", "value": 0},
            "reporting_delay_hours": {"dist": "fixed", "value": 0},
        },
        "duty": {"always": True},
        "travel": {"min_trip_km": 0},
        "enforcement": {"team_size": team_size},
        "units": {
            "pool": {
                "model": "stationed",
                "base_township": "Solo",
                "officers": officers,
                "townships": ["Solo"],
            }
        },
    }
