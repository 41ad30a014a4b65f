"""What enforcement and discovery cost a year: the scenario's optional ``costs`` block.

Costs put the bureau's levers (hiring officers, micro monitoring points, full-time
grid staff, reporting rewards) on one scale, yuan a year, so the ``frontier`` command
can ask which mix meets the targets for least. They change nothing the model does:
with no ``costs`` block (the default) no cost is computed and every result is as before.
Kept apart from ``schema`` (which re-exports it) so that module stays the model's inputs.
"""

from __future__ import annotations

from pydantic import Field

from .fields import Bool, Number, _Model


class Costs(_Model):
    """Annual costs in yuan (CNY). Officers are counted from the world's units, grid
    officers and station staff from the grid (``discovery.patrol``), monitoring points
    from the townships sensors cover, rewards from the citizen reports of the run."""

    enforcement_officer_yuan_per_year: Number = Field(
        ge=0, description="Cost of one enforcement officer a year (pay, on-costs, equipment)."
    )
    full_time_grid_officer_yuan_per_year: Number = Field(
        ge=0,
        description="Cost of one full-time environmental officer a year: the "
        "`discovery.patrol.station_staff_per_township` staff.",
    )
    part_time_grid_officer_yuan_per_year: Number = Field(
        ge=0,
        description="What one part-time grid officer costs the environmental budget a year "
        "(their stipend for environmental work), for every grid officer "
        "(`grids_per_township` x `officers_per_grid`).",
    )
    monitoring_points_per_township: Number = Field(
        1.0, ge=0, description="Micro monitoring points in each township that sensors cover."
    )
    monitoring_point_install_yuan: Number = Field(
        ge=0, description="Price of installing one micro monitoring point."
    )
    monitoring_point_life_years: Number = Field(
        5.0,
        gt=0,
        description="Years a point lasts: its install price is spread evenly over them "
        "(straight line, no discounting).",
    )
    monitoring_point_running_yuan_per_year: Number = Field(
        ge=0, description="Running cost of one point a year (data, calibration, upkeep)."
    )
    reward_yuan_per_citizen_report: Number = Field(
        ge=0,
        description="Reward paid per incident first reported by the public (at "
        "`reward_multiplier` 1).",
    )
    reward_scales_with_multiplier: Bool = Field(
        True,
        description="Multiply the reward per report by `discovery.citizens.reward_multiplier`: "
        "a higher report rate is bought with a proportionally higher reward (an assumption; "
        "false: the same reward per report at any multiplier).",
    )

    @property
    def monitoring_point_yuan_per_year(self) -> float:
        """One point a year: its install price annualised plus its running cost."""
        return (
            self.monitoring_point_install_yuan / self.monitoring_point_life_years
            + self.monitoring_point_running_yuan_per_year
        )
