"""Township interference (属地干扰): which cases a township compromises, decided up front.

The article's reason for an independent, integrated enforcement team is that officers
posted in, or answering to, a township come under its sway: it softens a case (a short
visit, no penalty) or holds it back before the team may set out. Here each incident gets
one uniform draw on its own stream (``enforcement.interference``) and, drawn alongside,
a delay (``enforcement.interference.delay``); the case is compromised when the draw falls
below ``probability`` x its unit's exposure, softened when below that x
``softened_share``. Drawn per incident whatever the deployment model, so variants compare
the same cases (common random numbers), and a lower exposure only ever removes cases.

Off (``probability`` 0) nothing is drawn and the model is exactly as without it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..registry import DEPLOYMENT_MODELS
from ..world.build import World
from .incidents import Incidents
from .streams import Streams

KINDS = ("none", "softened", "delayed")
"""What interference did to a case (the ``interference`` record column, when on)."""
NONE, SOFTENED, DELAYED = range(3)


@dataclass(frozen=True)
class Interference:
    kind: np.ndarray  # per incident, index into KINDS
    held_h: list[float]  # per incident: hours the report waits before its unit may send


def unit_exposure(world: World) -> np.ndarray:
    """Per unit, the share of ``probability`` its cases face: the scenario's ``exposure``
    for its model, else the model's own; 0 for a unit flagged ``independent`` (by hand, or
    generated under ``counties.<c>.deployment.independent``)."""
    sc = world.scenario
    given = sc.enforcement.interference.exposure
    out = np.zeros(len(world.units))
    for k, unit in enumerate(world.units):
        if unit.independent:
            continue
        model = DEPLOYMENT_MODELS[unit.model]
        out[k] = given.get(unit.model, model.interference_exposure)
    return out


def interference_drawn(
    world: World, n: int, streams: Streams
) -> tuple[np.ndarray, np.ndarray] | None:
    """Per incident, the uniform and the hold drawn for township interference (None when
    it is off): what does not depend on the unit, so it can be drawn over the region."""
    spec = world.scenario.enforcement.interference
    if spec.probability <= 0:
        return None
    u = streams.rng("enforcement.interference").random(n)
    return u, spec.delay_hours.sample(streams.rng("enforcement.interference.delay"), n)


def draw_interference(
    world: World,
    inc: Incidents,
    streams: Streams,
    drawn: tuple[np.ndarray, np.ndarray] | None = None,
) -> Interference | None:
    """Each incident's fate under township interference, or ``None`` when it is off."""
    spec = world.scenario.enforcement.interference
    if spec.probability <= 0:
        return None
    u, delay_h = drawn if drawn is not None else interference_drawn(world, len(inc), streams)
    p = spec.probability * unit_exposure(world)[world.unit_of_township[inc.township]]
    kind = np.where(u < p * spec.softened_share, SOFTENED, np.where(u < p, DELAYED, NONE))
    held = np.where(kind == DELAYED, delay_h, 0.0)
    return Interference(kind.astype(np.int64), held.tolist())


def soften(onsite_h: list[float], kind: np.ndarray, factor: float) -> list[float]:
    """On-site times with the softened cases' cut by ``factor`` (incidents come first in
    the job list, so ``kind`` lines up with its head)."""
    out = list(onsite_h)
    for i in np.flatnonzero(kind == SOFTENED).tolist():
        out[i] = onsite_h[i] * factor
    return out
