"""Time in a scenario: the dates of the run, when incidents start, and who is on duty.

The calendar (day 0, public holidays, days worked in lieu), arrival profiles of incident
types, and the duty blocks (shifts, on-call, rotas) — one subject, so the rest of the schema
reads as the region, the incidents' other traits, discovery and enforcement.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from .distributions import Distribution, Fixed
from .fields import (
    Bool,
    Date,
    Int,
    Multiplier,
    Number,
    Severity,
    _Model,
)


class ProfileWindow(_Model):
    """Dated days on which the arrival rate is multiplied: a campaign, a festival."""

    name: str = Field("", max_length=100, description="What the window is (for reports).")
    first: Date = Field(description="First day of the window.")
    last: Date | None = Field(None, description="Last day of the window (default: `first`).")
    multiplier: Multiplier = Field(description="Multiplier of the rate on those days.")

    @model_validator(mode="after")
    def _ordered(self) -> ProfileWindow:
        if self.last is not None and self.last < self.first:
            raise ValueError("last must not be before first")
        return self


_PROFILE_LENGTHS = {
    "hour_of_day": (24, "hour 0-23"),
    "day_of_week": (7, "day mon-sun"),
    "month_of_year": (12, "month jan-dec"),
}


class ArrivalProfile(_Model):
    """An incident type's rate at time t is ``rate_per_day`` x hour_of_day[hour] x
    day_of_week[weekday] x month_of_year[month] x every window covering the date. A public
    holiday of `calendar` counts as a Sunday and a day worked in lieu as a Monday (work,
    not the weekday, is what moves discharges and building sites)."""

    hour_of_day: list[Multiplier] = Field(
        default_factory=lambda: [1.0] * 24,
        description="24 multipliers, hours 0-23 (hour 0 starts at midnight); default all 1.",
    )
    day_of_week: list[Multiplier] = Field(
        default_factory=lambda: [1.0] * 7, description="7 multipliers, mon..sun; default all 1."
    )
    month_of_year: list[Multiplier] = Field(
        default_factory=lambda: [1.0] * 12,
        description="12 multipliers, jan..dec (dates from `calendar.start_date`); default all 1.",
    )
    windows: list[ProfileWindow] = Field(
        default_factory=list, max_length=50, description="Dated surges or lulls; they multiply."
    )
    normalise: Bool = Field(
        True,
        description="`true`: the multipliers are scaled so their mean over the simulated "
        "horizon is 1, so the expected count of the run stays `rate_per_day` x weight x "
        "`horizon_days` and the profile only moves incidents in time; `false`: the rate is "
        "`rate_per_day` times the multipliers as written.",
    )

    @field_validator("hour_of_day", "day_of_week", "month_of_year")
    @classmethod
    def _shape(cls, values: list[float], info: Any) -> list[float]:
        return _profile_shape(values, info.field_name, "no incident could ever start")


def _profile_shape(values: list[float], field: str, never: str) -> list[float]:
    """A profile list of ``field`` holds one multiplier per hour, weekday or month and is not
    all zero (``never`` says what could then not happen)."""
    n, each = _PROFILE_LENGTHS[field]
    if len(values) != n:
        raise ValueError(f"must hold {n} multipliers, one per {each} (got {len(values)})")
    if not any(values):
        raise ValueError(f"must not be all zero ({never})")
    return values


class Holiday(_Model):
    """Public holiday days (法定节假日 and the days joined to them), first to last."""

    name: str = Field("", max_length=100, description="What the holiday is called.")
    first: Date = Field(description="First day off.")
    last: Date | None = Field(None, description="Last day off (default: `first`).")

    @model_validator(mode="after")
    def _ordered(self) -> Holiday:
        if self.last is not None and self.last < self.first:
            raise ValueError("last must not be before first")
        return self


class Calendar(_Model):
    """The dates of the run: which day is day 0, the public holidays, and the weekend days
    worked in lieu (调休). Weekday rotas treat a holiday as a Sunday and a day worked in
    lieu as a Monday; arrival profiles read months and dated windows from it."""

    start_date: Date = Field(
        dt.date(2018, 12, 31),
        description="Date of day 0 of the run (warm-up included); must be a Monday, since "
        "duty weeks start on day 0.",
    )
    holidays: list[Holiday] = Field(
        default_factory=list, max_length=400, description="Public holidays; default none."
    )
    workdays: list[Date] = Field(
        default_factory=list,
        max_length=400,
        description="Weekend days worked in lieu of a holiday (调休); default none.",
    )

    @field_validator("start_date")
    @classmethod
    def _monday(cls, day: dt.date) -> dt.date:
        if day.weekday() != 0:
            monday = day - dt.timedelta(days=day.weekday())
            raise ValueError(f"must be a Monday ({day} is a {day:%A}; e.g. {monday})")
        return day


class Shift(_Model):
    start_hour: Number = Field(ge=0, lt=24, description="Start of a duty window (hour of day).")
    end_hour: Number = Field(gt=0, le=24, description="End of the window (hour of day).")

    @model_validator(mode="after")
    def _ordered(self) -> Shift:
        if self.end_hour <= self.start_hour:
            raise ValueError("end_hour must be after start_hour")
        return self


class OnCall(_Model):
    """Who is called out off duty, and how long it takes."""

    severities: list[Severity] = Field(
        default_factory=lambda: ["major"],
        description="Severities for which officers are called out off duty; `[]` for none.",
    )
    callout_delay_hours: Distribution = Field(
        default_factory=lambda: Fixed(dist="fixed", value=1.0),
        description="Time to reach officers and get them moving when called out.",
    )


class DutyTeam(_Model):
    """A team of officers on duty in turn, drawn from a unit's or a county's officers."""

    officers: Int = Field(ge=1, description="Officers in the team at any one time.")
    per: Literal["unit", "county"] = Field(
        "unit",
        description="`unit`: each unit has its own team, from its own officers; `county`: one "
        "team (县局值班) from all the county's officers serves every unit of the county that "
        "has no one of its own on duty (recorded per report, not counted as mutual aid).",
    )


class NightOnCall(DutyTeam):
    """Who may be called out off duty: a team on call for a day, rotating daily."""

    handover_hour: Number = Field(
        8.5, ge=0, lt=24, description="Hour of day at which one day's on-call team hands over."
    )


class Rota(_Model):
    """How the officers of a unit share the duty: pieces that combine; the default (all
    null, false or 0) is every officer on the unit's weekly calendar and every officer on
    call whenever off duty."""

    weekend_team: DutyTeam | None = Field(
        None,
        description="Regular duty (the `shifts`) on the days off of the office week (weekend "
        "days and public holidays), by a team rotating weekly through the officers; default "
        "none.",
    )
    night_on_call: NightOnCall | None = Field(
        None,
        description="Only this team, rotating daily, may be called out off duty; default "
        "(null) every officer off duty is on call.",
    )
    staggered_week: Bool = Field(
        False,
        description="Seven-day staggered week: each officer works `len(weekdays)` days of 7 "
        "(the `shifts`), days off staggered across the unit's officers so every day is "
        "covered; public holidays are worked like any day.",
    )
    max_callouts_per_week: Int | None = Field(
        None,
        ge=0,
        description="Most call-outs (jobs) per officer per run week (Monday to Sunday); "
        "default no limit.",
    )
    rest_after_callout_hours: Number = Field(
        0.0,
        ge=0,
        description="After returning to base from an off-duty call-out an officer is not "
        "available (neither dispatched nor called) for this long; default 0.",
    )

    @model_validator(mode="after")
    def _one_week(self) -> Rota:
        if self.staggered_week and self.weekend_team is not None:
            raise ValueError("a staggered week covers every day: leave weekend_team null")
        return self


def _office_hours() -> list[Shift]:
    return [Shift(start_hour=8.5, end_hour=12.0), Shift(start_hour=13.5, end_hour=17.5)]


class Duty(_Model):
    always: Bool = Field(False, description="On duty 24 hours a day, 7 days a week.")
    shifts: list[Shift] = Field(
        default_factory=_office_hours,
        min_length=1,
        description="Daily duty windows, in order and not overlapping "
        "(default 08:30-12:00 and 13:30-17:30, a Chinese bureau's office hours).",
    )
    weekdays: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(
        default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"],
        min_length=1,
        description="Days with duty windows; day 0 of the run is a Monday.",
    )
    on_call: OnCall = Field(default_factory=OnCall)
    rota: Rota = Field(default_factory=Rota)

    @field_validator("shifts")
    @classmethod
    def _disjoint(cls, shifts: list[Shift]) -> list[Shift]:
        for a, b in zip(shifts, shifts[1:], strict=False):
            if b.start_hour < a.end_hour:
                raise ValueError("must be in order and must not overlap")
        return shifts

    @model_validator(mode="after")
    def _rota_needs_shifts(self) -> Duty:
        if self.always and self.rota != Rota():
            raise ValueError("a unit on duty around the clock has no rota: leave rota out")
        return self


Fraction = Annotated[Number, Field(ge=0, le=1)]


class Education(_Model):
    """Legal and moral education (the article's proposal 4, 法治为本、德治为先): lectures,
    legal service teams, typical cases publicised, village rules and role models, so that
    fewer violations start. Its effect builds up: the rate of each listed incident type is
    multiplied by a factor going linearly from 1 at `start_date` to `rate_multiplier` after
    `ramp_days`, and staying there. It lowers the count (it is not renormalised); types not
    listed are unchanged."""

    start_date: Date = Field(description="Date the programme starts (the factor is 1 before).")
    ramp_days: Number = Field(
        365.0,
        ge=0,
        description="Days from `start_date` until the full effect (0: at once); default 365.",
    )
    rate_multiplier: dict[str, Fraction] = Field(
        min_length=1,
        description="Incident type -> rate multiplier at full effect (0-1; e.g. 0.9 = 10% "
        "fewer violations of that type).",
    )
