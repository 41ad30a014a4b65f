"""The scenario as typed, validated objects.

Every field carries its unit in its name and its default here (time — the calendar,
arrival profiles and duty — in ``time``, the strict scalar types in ``fields``), so the
scenario reference (docs/reference/scenario.md) can be generated from the models rather than
kept in step by hand (``enforcement-sim schema --markdown``). Models forbid
unknown keys: a typo in a scenario file is an error, never a silently ignored
setting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from ..errors import ScenarioError
from ..registry import CHANNELS, DEPLOYMENT_MODELS, DISPATCH_ORDERS, SHORTFALL_POLICIES
from .costs import Costs  # noqa: F401  (re-exported)
from .distributions import Distribution, Exponential, Fixed, Gamma, Lognormal
from .fields import (  # noqa: F401  (re-exported: the schema's names in one place)
    SEVERITIES,
    WEEKDAYS,
    Bool,
    Date,
    Int,
    Multiplier,
    Number,
    Probability,
    Severity,
    _Model,
)
from .mechanisms import Deterrence, Ranking  # noqa: F401  (re-exported)
from .names import OneOf
from .time import (  # noqa: F401  (re-exported)
    ArrivalProfile,
    Calendar,
    Duty,
    DutyTeam,
    Education,
    Holiday,
    NightOnCall,
    OnCall,
    ProfileWindow,
    Rota,
    Shift,
    _profile_shape,
)

ModelName = Annotated[str, OneOf(DEPLOYMENT_MODELS)]
ChannelName = Annotated[str, OneOf(CHANNELS)]


class Region(_Model):
    townships_csv: str = Field(
        description="CSV of townships (columns `township, county, lat_deg, lon_deg`, optional "
        "`weight`, `name_zh`, `code`), path relative to the scenario file."
    )


class Deployment(_Model):
    """A county's units generated from a deployment model and a head count."""

    model: ModelName = Field(description="Deployment model of the generated units.")
    officers: Int = Field(ge=1, description="Officers to deploy in the county.")
    zone_townships_min: Int | None = Field(
        None, ge=1, description="Least townships per zone (default 2)."
    )
    zone_townships_max: Int | None = Field(
        None,
        ge=1,
        description="Most townships per zone (default 4 for `stationed`, 3 for `squadron` "
        "and for the posts of `integrated`).",
    )
    independent: Bool = Field(
        False,
        description="The generated units answer to no township (as `units.<u>.independent` "
        "for a hand-written unit): immune to `enforcement.interference`.",
    )
    duty: Duty | None = Field(
        None,
        description="Duty calendar of the generated units, overriding the scenario's (as "
        "`units.<u>.duty`): e.g. a weekend duty team in this county only.",
    )


class County(_Model):
    bureau_township: str | None = Field(
        None, description="Township whose point is the county bureau (headquarters)."
    )
    bureau_lat_deg: Number | None = Field(
        None, ge=-90, le=90, description="Bureau latitude, if not at a township point."
    )
    bureau_lon_deg: Number | None = Field(
        None, ge=-180, le=180, description="Bureau longitude, if not at a township point."
    )
    deployment: Deployment | None = Field(
        None,
        description="Generate this county's units from a head count (ignored if any unit in "
        "`units` covers the county: hand-written units win).",
    )
    patrol: dict[str, Any] | None = Field(
        None,
        description="Fields of `discovery.patrol` that differ in this county (e.g. "
        "`station_staff_per_township: 2` for Pujiang's stations).",
    )
    weight_factor: Number = Field(
        1.0,
        gt=0,
        le=100,
        description="Multiplies the region table's `weight` of every township of this county "
        "(its incident volume), so a county's weight can be calibrated or varied without "
        "editing the CSV; 1.0 leaves the table's weights.",
    )

    @model_validator(mode="after")
    def _one_location(self) -> County:
        by_point = self.bureau_lat_deg is not None or self.bureau_lon_deg is not None
        if self.bureau_township is not None and by_point:
            raise ValueError("give bureau_township or bureau_lat_deg/bureau_lon_deg, not both")
        if self.bureau_township is None and (
            self.bureau_lat_deg is None or self.bureau_lon_deg is None
        ):
            raise ValueError("give bureau_township, or both bureau_lat_deg and bureau_lon_deg")
        return self


def _job_time(kind: type[Lognormal | Gamma], mean: float, description: str) -> Any:
    """A job's time on site or on paperwork: by default right-skewed, CV 0.5."""
    dist = kind.model_fields["dist"].annotation.__args__[0]  # type: ignore[union-attr]
    return Field(
        default_factory=lambda: kind(dist=dist, mean=mean, cv=0.5), description=description
    )


def _default_severity_mix() -> dict[str, float]:
    return {"minor": 0.5, "moderate": 0.35, "major": 0.15}


class IncidentType(_Model):
    rate_per_day: Number = Field(
        ge=0, description="Expected incidents per day in a township of weight 1.0."
    )
    severity_mix: dict[Severity, Probability] = Field(
        default_factory=_default_severity_mix,
        description="Share of incidents of each severity; must sum to 1.",
    )
    duration_if_undiscovered_hours: Distribution | None = Field(
        None,
        description="How long an incident lasts if nobody stops it; `null` = it persists "
        "until enforced.",
    )
    onsite_hours: Distribution = _job_time(Lognormal, 2.0, "Team time on site per incident.")
    paperwork_hours: Distribution = _job_time(
        Gamma, 1.5, "Team time on case paperwork after the site visit."
    )
    team_size: Int | None = Field(
        None,
        ge=1,
        description="Officers this type needs on site (default `enforcement.team_size`; 1 "
        "for, e.g., a follow-up visit).",
    )
    arrival_profile: ArrivalProfile | None = Field(
        None,
        description="When in the day, week and year incidents of this type start; `null` = "
        "at the same rate at every hour.",
    )

    @field_validator("severity_mix")
    @classmethod
    def _mix_sums_to_one(cls, mix: dict[str, float]) -> dict[str, float]:
        total = sum(mix.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"must sum to 1 (sums to {total:g})")
        return mix


class Patrol(_Model):
    """Grid supervision (网格): part-time grid officers and township environmental staff
    inspect pollution sources on their patrols; the rest of their environmental time goes
    to river patrol and cleaning (巡河保洁), which finds no violations."""

    grids_per_township: Int = Field(4, ge=1, description="Grids (网格) in each township.")
    officers_per_grid: Number = Field(1.0, ge=0, description="Grid officers per grid.")
    environmental_share: Number = Field(
        0.15,
        ge=0,
        le=1,
        description="Share of a grid officer's working time on environmental work "
        "(part-time: low; a full-time environmental officer: 1.0).",
    )
    source_inspection_share: Number = Field(
        0.3,
        ge=0,
        le=1,
        description="Share of environmental time on pollution-source inspection rather than "
        "river patrol and cleaning.",
    )
    station_staff_per_township: Number = Field(
        0.0,
        ge=0,
        description="Full-time environmental staff per township (a station as in Pujiang, "
        "Lanxi's dedicated officer), on top of the grid officers.",
    )
    station_source_share: Number = Field(
        0.6, ge=0, le=1, description="Share of station staff time on source inspection."
    )
    sites_per_grid: Number = Field(
        20.0, gt=0, description="Places a patrol may inspect in one grid (pollution sources)."
    )
    visit_hours: Number = Field(0.5, gt=0, description="Time one inspection visit takes.")
    detection_probability: Number = Field(
        0.6, ge=0, le=1, description="Chance a visit to an active incident's place finds it."
    )
    pattern: Literal["random", "periodic"] = Field(
        "random",
        description="`random`: each visit picks a site at random; `periodic`: every site is "
        "visited at a fixed interval, at a random phase.",
    )
    settle_share: dict[Severity, Probability] = Field(
        default_factory=lambda: {"minor": 0.3},
        description="Share of patrol-found incidents the grid officer settles without "
        "enforcement, by severity.",
    )
    settle_hours: Distribution = Field(
        default_factory=lambda: Fixed(dist="fixed", value=2.0),
        description="Grid officer time to settle one incident; its pollution stops then.",
    )
    duty: Duty = Field(
        default_factory=lambda: Duty(on_call={"severities": []}),
        description="Working hours of grid officers and station staff (one calendar for "
        "all: no `rota`).",
    )

    @field_validator("duty")
    @classmethod
    def _no_rota(cls, duty: Duty) -> Duty:
        if duty.rota != Rota():
            raise ValueError("grid officers keep one calendar: a rota is for enforcement units")
        return duty


class Citizens(_Model):
    """Complaints and reports from the public (12369, rewarded reporting)."""

    report_rate_per_day: Number = Field(
        0.03,
        ge=0,
        description="Chance per day that the public reports an active incident in a township "
        "of weight 1.0 (a hazard, scaled by the township's weight).",
    )
    type_multipliers: dict[str, Annotated[Number, Field(ge=0)]] = Field(
        default_factory=dict,
        description="Multiplier of the report rate by incident type (e.g. noise and odour "
        "are reported more than wastewater); missing types 1.0.",
    )
    reward_multiplier: Number = Field(
        1.0, ge=0, description="Effect of a reward scheme (有奖举报) on the report rate."
    )
    channel_ease_multiplier: Number = Field(
        1.0, ge=0, description="Effect of easy feedback channels on the report rate."
    )
    hour_of_day: list[Multiplier] | None = Field(
        None,
        description="24 multipliers of the report hazard, hours 0-23 (people report when "
        "they are awake); divided by their mean, so the hazard over a whole day stays "
        "`report_rate_per_day`. `null` = the same hazard at every hour.",
    )
    day_of_week: list[Multiplier] | None = Field(
        None,
        description="7 multipliers of the report hazard, mon..sun (a public holiday of "
        "`calendar` counts as a Sunday, a day worked in lieu as a Monday); divided by their "
        "mean, so the hazard over a Monday-Sunday week stays 7 x `report_rate_per_day`. "
        "`null` = the same hazard on every day.",
    )

    @field_validator("hour_of_day", "day_of_week")
    @classmethod
    def _shape(cls, values: list[float] | None, info: Any) -> list[float] | None:
        if values is None:
            return None
        return _profile_shape(values, info.field_name, "no report could ever be made")


class Sensors(_Model):
    """Micro monitoring points (小微监测点)."""

    coverage_share: Number = Field(
        0.0,
        ge=0,
        le=1,
        description="Share of townships covered, the highest-weight first (ignored when "
        "`townships` is given).",
    )
    townships: list[str] | None = Field(None, description="Covered townships, by name.")
    types: list[str] | None = Field(
        None,
        description="Incident types the sensors can see (e.g. wastewater and air, not dumped "
        "waste); `null` for all.",
    )
    detection_probability: Number = Field(0.9, ge=0, le=1, description="Chance of detection.")
    delay_hours: Distribution = Field(
        default_factory=lambda: Exponential(dist="exponential", mean=2.0),
        description="Time from incident start to a sensor alarm.",
    )


class UpperInspections(_Model):
    """Periodic campaigns by upper levels (上级检查) over a share of townships."""

    interval_days: Number | None = Field(
        90.0, gt=0, description="Days between campaigns; `null` for none."
    )
    township_share: Number = Field(
        0.3, ge=0, le=1, description="Share of townships each campaign visits, at random."
    )
    detection_probability: Number = Field(
        0.8, ge=0, le=1, description="Chance a campaign finds an active incident it visits."
    )


def _handover() -> dict[str, Distribution]:
    """Each registered channel's own default hand-over time."""
    return {name: channel.handover_hours for name, channel in CHANNELS.items()}


class Discovery(_Model):
    """How incidents are found and reported. `channels` (default): grid patrols,
    citizens, sensors and upper-level inspections, the first to find an incident wins;
    `delay`: a single random delay (for validation and simple studies)."""

    model: Literal["channels", "delay"] = Field(
        "channels", description="`channels` or the single-delay stand-in `delay`."
    )
    patrol: Patrol = Field(default_factory=Patrol)
    citizens: Citizens = Field(default_factory=Citizens)
    sensors: Sensors = Field(default_factory=Sensors)
    upper_inspections: UpperInspections = Field(default_factory=UpperInspections)
    handover_hours: dict[ChannelName, Distribution] = Field(
        description="Hand-over time from discovery to the report reaching the enforcement "
        "unit, by channel (information sharing shortens it); missing channels keep "
        "their defaults.",
        default_factory=_handover,  # the registered channels' own, at validation time
    )
    delay_hours: Distribution = Field(
        default_factory=lambda: Exponential(dist="exponential", mean=24.0),
        description="`delay` model: time from incident start to discovery (if still active).",
    )
    channel: ChannelName = Field(
        "citizen", description="`delay` model: the channel recorded for every discovery."
    )
    reporting_delay_hours: Distribution = Field(
        default_factory=lambda: Fixed(dist="fixed", value=1.0),
        description="`delay` model: hand-over time from discovery to the report.",
    )

    @field_validator("channel")
    @classmethod
    def _found_up_front(cls, name: str, info: Any) -> str:
        if info.data.get("model") == "delay" and not CHANNELS[name].found_up_front:
            raise ValueError(
                f"the `delay` model draws every discovery up front, but {name} finds "
                "incidents only during the run; choose another channel"
            )
        return name

    @field_validator("handover_hours")
    @classmethod
    def _fill_handover(cls, given: dict[str, Distribution]) -> dict[str, Distribution]:
        return {**_handover(), **given}


class Travel(_Model):
    speed_kmh: Number = Field(40.0, gt=0, description="Average road speed.")
    circuity_factor: Number = Field(1.3, ge=1, description="Road distance / great-circle distance.")
    min_trip_km: Number = Field(
        3.0,
        ge=0,
        description="Least one-way road distance of any trip: stands for the spread of sites "
        "inside a township, so a trip within the base's own township is not free.",
    )


class BurdenShifting(_Model):
    """Where grid responsibility is weak, the townships shift routine work onto the
    enforcement officers sunk among them: extra diverted share = ``max_extra_share`` x
    (1 - grid strength / ``full_strength_hours_per_grid_week``), grid strength being the
    source-inspection hours per grid and week of the unit's townships."""

    enabled: Bool = Field(False, description="Turn burden shifting on.")
    full_strength_hours_per_grid_week: Number = Field(
        6.0, gt=0, description="Grid strength at which nothing more is shifted."
    )
    max_extra_share: Number = Field(
        0.3, ge=0, le=0.9, description="Extra diverted share where grids do nothing."
    )


class TownshipDemand(_Model):
    """Diverted work as the townships' demand rather than a share of officers' time: each
    township generates routine grassroots tasks whether or not any officer is there to take
    them, more where its grid is weak; the officers posted among the townships absorb them
    by their deployment model's exposure, and what nobody absorbs is left to the township
    (recorded, not dropped)."""

    hours_per_week: Number = Field(
        ge=0,
        description="Routine grassroots work a township of weight 1.0 generates per calendar "
        "week, where its grid is at full strength (hours).",
    )
    task_hours: Distribution = Field(
        default_factory=lambda: Lognormal(dist="lognormal", mean=2.0, cv=0.5),
        description="Length of one task (one officer, or the township's own staff).",
    )
    weak_grid_factor: Number = Field(
        1.0,
        ge=0,
        description="Extra demand where the grid does nothing: demand x (1 + factor x "
        "weakness), weakness = 1 - grid source-inspection hours per grid and week / "
        "`full_strength_hours_per_grid_week` (at least 0).",
    )
    full_strength_hours_per_grid_week: Number = Field(
        6.0, gt=0, description="Grid strength at which a township generates no extra demand."
    )
    exposure: dict[ModelName, Probability] = Field(
        default_factory=dict,
        description="Probability that a task reaches an officer of the township's unit, by "
        "deployment model; default each model's own (stationed 1.0, squadron 0.3, central "
        "0.1, integrated 0).",
    )


class MutualAid(_Model):
    """When and from where a unit may borrow officers (shortfall policy `borrow`)."""

    after_hours: Number = Field(
        1.0, ge=0, description="How long a report waits for its own unit before borrowing."
    )
    max_km: Number | None = Field(
        None, gt=0, description="Only borrow from units whose base is within this road distance."
    )


class Interference(_Model):
    """Township interference (属地干扰): where the enforcing officers sit in, or answer to,
    the township, the township may compromise a case — soften it (shorter time on site, no
    penalty) or delay it (the report waits before the unit may send a team). Decided per
    incident up front; independent units are immune (see docs/model.md)."""

    probability: Probability = Field(
        0.0,
        description="Probability that a case of a fully exposed unit (exposure 1.0, a "
        "stationed office) is compromised; a unit's own chance is this x its exposure. "
        "0 (default): off.",
    )
    softened_share: Probability = Field(
        0.5, description="Share of compromised cases softened; the rest are delayed."
    )
    onsite_factor: Number = Field(
        0.5, ge=0, le=1, description="Time on site of a softened case, as a share of its own."
    )
    delay_hours: Distribution = Field(
        default_factory=lambda: Lognormal(dist="lognormal", mean=24.0, cv=1.0),
        description="Extra hours a delayed case waits before its unit may send a team.",
    )
    exposure: dict[ModelName, Probability] = Field(
        default_factory=dict,
        description="Exposure to the township by deployment model; default each model's own "
        "(stationed 1.0, squadron 0.2, central and integrated 0). Units flagged "
        "`independent` have none.",
    )


class Enforcement(_Model):
    team_size: Int = Field(2, ge=1, description="Officers the law requires on site.")
    shortfall_policy: Annotated[str, OneOf(SHORTFALL_POLICIES)] = Field(
        "wait",
        description="When the unit cannot form a legal team: `wait` for one; `go_alone` with "
        "whoever is free (a recorded breach of the two-person rule); `borrow` the missing "
        "officers from the nearest units (see `mutual_aid`).",
    )
    dispatch_order: Annotated[str, OneOf(DISPATCH_ORDERS)] = Field(
        "fifo",
        description="Order a unit serves its reports: `fifo`, or `severity` (major first, "
        "then first come). The head of the queue blocks those behind it.",
    )
    chaining: Bool = Field(
        False,
        description="A team that finishes a job may go straight to the next one of its unit "
        "instead of returning to base first.",
    )
    mutual_aid: MutualAid = Field(default_factory=MutualAid)
    diverted_share: Number = Field(
        0.0,
        ge=0,
        le=0.95,
        description="Share of each officer's duty time taken by routine grassroots "
        "management work (the article's burden shifting).",
    )
    diverted_task_hours: Distribution = Field(
        default_factory=lambda: Lognormal(dist="lognormal", mean=2.0, cv=0.5),
        description="Length of one piece of diverted work (one officer).",
    )
    burden_shifting: BurdenShifting = Field(default_factory=lambda: BurdenShifting())
    interference: Interference = Field(
        default_factory=lambda: Interference(),
        description="Township interference with cases (属地干扰); off by default.",
    )
    township_demand: TownshipDemand | None = Field(
        None,
        description="Diverted work as township demand absorbed by posting (see "
        "docs/model.md); replaces `diverted_share` and `burden_shifting`, which must then be "
        "off. Default: none (the share-of-time model).",
    )


class Inspections(_Model):
    """Planned inspections of registered pollution sources (random-selection checks)."""

    rate_per_day: Number = Field(
        0.0,
        ge=0,
        description="Planned inspections per day in a township of weight 1.0; they need a "
        "legal team and rank below incident reports.",
    )
    team_size: Int | None = Field(
        None, ge=1, description="Officers per inspection (default `enforcement.team_size`)."
    )
    onsite_hours: Distribution = _job_time(Lognormal, 1.5, "Time on site per inspection.")
    paperwork_hours: Distribution = _job_time(Gamma, 0.5, "Paperwork per inspection.")
    find_probability: Number = Field(
        0.0,
        ge=0,
        le=1,
        description="Chance that an incident ongoing, and not yet reported, in a township is "
        "found by the first planned inspection there to finish while it lasts (one draw per "
        "incident); found ones are reported at once, channel `planned_inspection`. Not "
        "published: an assumption (docs/model.md). 0 (default): inspections find nothing.",
    )


class Unit(_Model):
    model: ModelName = Field(
        description="Deployment model: `stationed` (base in a covered township), `squadron` "
        "(base at the county bureau), `central` (one unit for the whole county, at the "
        "bureau), `integrated` (one county-wide team, officers posted at several bases, the "
        "nearest free officers sent)."
    )
    officers: Int = Field(ge=1, description="Enforcement officers in the unit.")
    townships: list[str] = Field(
        default_factory=list,
        description="Townships the unit covers; `central` and `integrated` units may leave it "
        "empty to cover their whole `county`.",
    )
    county: str | None = Field(
        None, description="County of the unit; required when `townships` is empty."
    )
    base_township: str | None = Field(
        None, description="Township of the base; required for `stationed`."
    )
    posts: dict[str, Int] | None = Field(
        None,
        description="`integrated` only: officers posted at each township (must add up to "
        "`officers`); default all at the county bureau.",
    )
    diverted_share: Number | None = Field(
        None, ge=0, le=0.95, description="Overrides `enforcement.diverted_share` for this unit."
    )
    independent: Bool = Field(
        False,
        description="The unit answers to no township (the 2018 reform's independent team): "
        "immune to `enforcement.interference`.",
    )
    duty: Duty | None = Field(None, description="Duty calendar overriding the scenario's.")


NAME_PATTERN = r"^[^/\\.\x00-\x1f\x7f][^/\\\x00-\x1f\x7f]*$"
"""A name that is one folder name: no path separators, not hidden, not ``..``, and no
control characters (a line break or NUL would break file names, tables and one-line
messages)."""
NAME_MAX = 100
Name = Annotated[str, Field(pattern=NAME_PATTERN, max_length=NAME_MAX)]
"""A scenario's or a unit's name: it names folders, table rows and figure labels."""


class Scenario(_Model):
    name: str = Field(
        "scenario",
        pattern=NAME_PATTERN,
        max_length=NAME_MAX,
        description="Names the results folder (no '/' or '\\', not starting with '.').",
    )
    description: str = Field("", description="Free text for reports.")
    seed: Int = Field(20190121, ge=0, description="Root of every random stream.")
    replications: Int = Field(1, ge=1, description="Independent replications to run.")
    horizon_days: Number = Field(365.0, gt=0, description="Simulated days (warm-up included).")
    warmup_days: Number = Field(
        30.0, ge=0, description="Days at the start excluded from statistics."
    )
    region: Region
    counties: dict[str, County] = Field(
        min_length=1, description="Every county in the region, by name, with its bureau."
    )
    incident_types: dict[str, IncidentType] = Field(
        min_length=1, description="Incident types by name (e.g. wastewater, air_odour)."
    )
    discovery: Discovery = Field(default_factory=Discovery)
    calendar: Calendar = Field(default_factory=Calendar)
    education: Education | None = Field(
        None,
        description="Legal and moral education programme (proposal 4) lowering incident "
        "rates after a ramp-up; default none (off).",
    )
    ranking: Ranking | None = Field(
        None,
        description="Monthly township ranking with feedback into grid effort (proposal 2); "
        "default none (off; so is `strength` 0).",
    )
    deterrence: Deterrence | None = Field(
        None,
        description="General deterrence: next month's violation rate falls as the recent "
        "probability of a penalty rises (proposal 4); default none (off; so is "
        "`elasticity` 0).",
    )
    duty: Duty = Field(default_factory=Duty, description="Default duty calendar of officers.")
    travel: Travel = Field(default_factory=Travel)
    enforcement: Enforcement = Field(default_factory=Enforcement)
    inspections: Inspections = Field(default_factory=Inspections)
    units: dict[Name, Unit] = Field(
        default_factory=dict,
        description="Enforcement units by name (counties with a `deployment` get generated "
        "units instead).",
    )
    costs: Costs | None = Field(
        None,
        description="Annual costs of officers, grid staff, monitoring points and rewards, "
        "for the indicator `annual_cost_yuan` and the `frontier` command; default none "
        "(no cost computed).",
    )

    @property
    def horizon_hours(self) -> float:
        return self.horizon_days * 24.0

    @property
    def warmup_hours(self) -> float:
        return self.warmup_days * 24.0

    def incident_team_sizes(self) -> list[int]:
        """Officers each incident type needs on site, in ``incident_types`` order: the one
        place the type's own ``team_size`` falls back to ``enforcement.team_size``."""
        default = self.enforcement.team_size
        return [t.team_size or default for t in self.incident_types.values()]

    @property
    def inspection_team_size(self) -> int:
        return self.inspections.team_size or self.enforcement.team_size

    def largest_team(self) -> int:
        """The largest team any job of this scenario needs (planned inspections only when
        there are any)."""
        sizes = self.incident_team_sizes()
        if self.inspections.rate_per_day > 0:
            sizes.append(self.inspection_team_size)
        return max(sizes)


class TownshipRow(_Model):
    """One validated row of the region CSV (text cells, so numbers are converted)."""

    township: str
    county: str
    lat_deg: float = Field(ge=-90, le=90)
    lon_deg: float = Field(ge=-180, le=180)
    weight: float = Field(1.0, ge=0)
    name_zh: str = ""
    code: str = ""


class LoadedScenario(_Model):
    """A scenario together with the region table it names, both validated."""

    scenario: Scenario
    townships: tuple[TownshipRow, ...]
    source: Path | None = None
    origins: dict[str, str] = Field(default_factory=dict)

    def locate(self, err: ScenarioError) -> ScenarioError:
        """Name the file that holds the field an error (found later, e.g. in the
        unit layout) is about."""
        from .files import locate

        return locate(err, self.source, self.origins) if self.source else err
