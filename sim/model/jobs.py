"""The jobs of one run — incident reports, then planned inspections, in one index space —
with their attributes and the outcome columns the model writes.

One index space so that a unit's queue, its dispatch and the records treat a report and
a planned inspection alike; incidents come first, so ``job < n_incidents`` tells them
apart. During the run the columns are Python lists (cheap to read and write one item at
a time on the hot path); ``seal`` turns them into the numpy arrays the records read.
"""

from __future__ import annotations

import math

import numpy as np

from ..world.build import World
from .incidents import Incidents
from .inspections import PlannedInspections


class Jobs:
    def __init__(self, world: World, inc: Incidents, ins: PlannedInspections) -> None:
        sc = world.scenario
        n_inc, n = len(inc), len(inc) + len(ins)
        self.n_incidents = n_inc
        self.township = np.concatenate([inc.township, ins.township])
        self.need = np.concatenate(
            [
                np.asarray(sc.incident_team_sizes(), dtype=np.int64)[inc.type],
                np.full(len(ins), sc.inspection_team_size, dtype=np.int64),
            ]
        )
        self.onsite_h = np.concatenate([inc.onsite_h, ins.onsite_h])
        self.paperwork_h = np.concatenate([inc.paperwork_h, ins.paperwork_h])
        self.severity = np.concatenate([inc.severity, np.full(len(ins), -1, dtype=np.int64)])
        # the same, as lists of Python numbers for the hot path (identical values)
        self.unit_l = world.unit_of_township[self.township].tolist()
        self.town_l = self.township.tolist()
        self.need_l = self.need.tolist()
        self.onsite_l = self.onsite_h.tolist()
        self.paperwork_l = self.paperwork_h.tolist()
        self.severity_l = self.severity.tolist()
        nan = math.nan
        self.queued_h: list[float] | np.ndarray = [nan] * n
        self.team_formed_h: list[float] | np.ndarray = [nan] * n
        self.arrived_h: list[float] | np.ndarray = [nan] * n
        self.done_h: list[float] | np.ndarray = [nan] * n
        self.officers_present: list[int] | np.ndarray = [0] * n
        self.borrowed: list[int] | np.ndarray = [0] * n
        self.county_team: list[int] | np.ndarray = [0] * n  # officers of other units on a
        # county duty or on-call team (not mutual aid)
        self.callout: list[bool] | np.ndarray = [False] * n
        # per incident, what township interference did (index into interference.KINDS);
        # None when the mechanism is off, and then no record column shows it
        self.interference: np.ndarray | None = None
        # per incident, hours the township held the report back before its unit could send
        # a team (a delayed case; 0 otherwise); None when township interference is off
        self.held_h: np.ndarray | None = None
        self.travel_km: list[float] | np.ndarray = [nan] * n
        # on-duty hours, while a report waited, that some but too few officers were free
        # (filled at the end from the partner-wait logs, see EnforcementUnits.finish)
        self.partner_wait_h = np.full(n, np.nan)
        # where each job's wait began and ended in its unit's partner-wait log
        self.log_at_queue: list[int] = [-1] * n
        self.log_at_team: list[int] = [-1] * n

    def seal(self) -> None:
        """Turn the outcome lists into arrays (once, at the end of the run)."""
        for name in ("queued_h", "team_formed_h", "arrived_h", "done_h", "travel_km"):
            setattr(self, name, _array(getattr(self, name), float))
        self.officers_present = _array(self.officers_present, np.int64)
        self.borrowed = _array(self.borrowed, np.int64)
        self.county_team = _array(self.county_team, np.int64)
        self.callout = _array(self.callout, bool)


def _array(values, dtype) -> np.ndarray:
    """A list as an array: ``fromiter`` converts item by item, as ``np.array`` does, in a
    quarter of the time (sealing was a tenth of the records' cost)."""
    return np.fromiter(values, dtype=dtype, count=len(values))
