"""Monthly feedback mechanisms of a scenario: the township ranking (proposal 2) and general
deterrence (proposal 4, second half).

Both are read by one monthly step of the model (``sim.model.monthly``) at each calendar
month's end; both are off by default, and then nothing is drawn and nothing changes.
Kept apart from ``schema`` (which re-exports them) so that module stays the region,
incidents, discovery and enforcement.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .fields import Int, Number, Probability, _Model


class Ranking(_Model):
    """The article's proposal 2: townships ranked each month on what monitoring sees, the
    result used in cadres' evaluation. Here the ranking feeds back into grid effort: the
    townships in the bottom share (the most pollution seen) get their grid patrols' effort
    multiplier raised by `strength` for the next month (capped), the others decay toward
    1. The effort multiplies the rate of the grid's source-inspection visits in the
    township (see docs/model.md)."""

    strength: Number = Field(
        0.0,
        ge=0,
        le=10,
        description="Added to a bottom-ranked township's effort multiplier for the next "
        "month (0.5: half again as many patrol visits). 0 (default): off.",
    )
    bottom_share: Probability = Field(
        0.2,
        description="Share of townships (of the city, or of each county: `scope`) counted as "
        "the bottom of the ranking; rounded up, at least one when any township scored.",
    )
    max_effort_multiplier: Number = Field(
        2.0, ge=1, le=10, description="Cap on a township's effort multiplier."
    )
    decay_per_month: Probability = Field(
        0.5,
        description="Share of a township's effort above 1 lost in a month it is not in the "
        "bottom (1: back to 1 at once).",
    )
    unmonitored_visibility: Probability = Field(
        0.3,
        description="Share of pollution-hours the ranking sees in a township without "
        "micro monitoring points (where sensors cover it, all of them).",
    )
    complaint_weight_hours: Number = Field(
        24.0,
        ge=0,
        description="Pollution-hours one citizen complaint (a report by the citizen "
        "channel in the month) adds to the score: the public's evaluation.",
    )
    scope: Literal["city", "county"] = Field(
        "city",
        description="Rank all townships together (`city`, as Jinhua's bureau does) or "
        "within each county (`county`).",
    )


class Deterrence(_Model):
    """General deterrence: a township's violation rate next month falls as the recent
    probability that a violation there was found and penalised rises, with an elasticity
    (Gray & Shimshack 2011, Rev. Environ. Econ. Policy 5(1); Shimshack & Ward 2008, J.
    Public Econ. 92). Applied by thinning the month's incidents (docs/model.md)."""

    elasticity: Number = Field(
        0.0,
        ge=0,
        le=5,
        description="Elasticity of the violation rate to the probability of a penalty: the "
        "rate is multiplied by (p / reference_probability)^-elasticity, within [floor, 1]. "
        "An assumption. 0 (default): off.",
    )
    reference_probability: Probability | None = Field(
        None,
        gt=0,
        description="Probability of a penalty under which the scenario's incident rates "
        "were observed (the rate is unchanged at or below it); required when on.",
    )
    memory_months: Int = Field(
        3, ge=1, le=24, description="Months of past violations p is measured over."
    )
    floor: Probability = Field(
        0.5, description="Lowest rate multiplier deterrence may reach in a month."
    )
    prior_weight: Number = Field(
        5.0,
        ge=0,
        description="Weight, in violations, of the county's probability when a township's "
        "own few violations are shrunk toward it (0: the township's own alone).",
    )

    @model_validator(mode="after")
    def _reference_when_on(self) -> Deterrence:
        if self.elasticity > 0 and self.reference_probability is None:
            raise ValueError("reference_probability is required when elasticity is above 0")
        return self
