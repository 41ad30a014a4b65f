"""Worlds that validate field by field but can never work as a whole.

Each field of a scenario may be within its bounds while their combination is not:
a tiny but positive ``sites_per_grid`` (or ``visit_hours``, or a huge head count of
grid officers) makes patrol visits come faster than a clock measured in hours can
tell apart, so discovery times round onto the incident's start and the records go
out of order; a team that no unit and none of the units it may borrow from can ever
staff leaves every report waiting for good. Both are refused before any run, with
``--force`` or without: unlike the runaway limits these are not about size, and a run
would only end in a failed audit or a table of nothing but unserved reports.
"""

from __future__ import annotations

from ..errors import ScenarioError
from ..registry import SHORTFALL_POLICIES
from ..scenario.schema import Patrol
from ..world import World

# The finest time the model tells apart: one second. Visits to one site more often
# than that (3,600 per working hour; the defaults give about 0.005) are not a patrol.
MAX_VISITS_PER_SITE_HOUR = 3600.0
# What makes visits frequent: few sites, short visits, many grid or station staff.
# The field whose value is furthest from its default (by this ratio) is named.
_DEFAULTS = Patrol()
_FACTORS = {
    "sites_per_grid": lambda p: _DEFAULTS.sites_per_grid / p.sites_per_grid,
    "visit_hours": lambda p: _DEFAULTS.visit_hours / p.visit_hours,
    "officers_per_grid": lambda p: p.officers_per_grid / max(_DEFAULTS.officers_per_grid, 1.0),
    "station_staff_per_township": lambda p: p.station_staff_per_township,
}


def check_workable(world: World) -> None:
    """Refuse a world whose patrols are faster than the clock or whose teams cannot form."""
    _check_patrol_rate(world)
    _check_teams(world)


def _check_patrol_rate(world: World) -> None:
    rate = world.grid.visit_rate
    if not len(rate) or not rate.max() > MAX_VISITS_PER_SITE_HOUR:
        return
    town = int(rate.argmax())
    spec = world.grid.specs[int(world.grid.spec_of[town])]
    field = max(_FACTORS, key=lambda f: _FACTORS[f](spec))
    county = world.county_names[int(world.township_county[town])]
    over = world.scenario.counties[county].patrol or {}
    where = f"counties.{county}.patrol" if field in over else "discovery.patrol"
    raise ScenarioError(
        f"{where}.{field}",
        f"{getattr(spec, field):g} makes grid patrols visit each pollution source of "
        f"{world.township_names[town]!r} {float(rate[town]):.3g} times a working hour, above "
        f"the limit of {MAX_VISITS_PER_SITE_HOUR:,.0f} (one a second); check sites_per_grid, "
        "visit_hours and the patrol staff",
    )


def _check_teams(world: World) -> None:
    """Under a policy that borrows, a unit too small for a team must have units it may
    borrow from with enough officers between them (planned inspections never borrow, so
    they need the unit's own team). ``wait`` and ``go_alone`` are checked as units are
    built (``least_staff`` per unit)."""
    sc = world.scenario
    policy = SHORTFALL_POLICIES[sc.enforcement.shortfall_policy]
    if not policy.crosses_units:
        return
    incident_team = max(sc.incident_team_sizes(), default=0)
    inspection_team = sc.inspection_team_size if sc.inspections.rate_per_day > 0 else 0
    for unit in world.units:
        lenders = sum(world.units[v].officers for v in unit.neighbours)
        if unit.officers >= inspection_team and unit.officers + lenders >= incident_team:
            continue
        field = (
            f"units.{unit.name}.officers"
            if unit.name in sc.units
            else f"counties.{unit.county}.deployment.officers"
        )
        if unit.officers < inspection_team:
            why = f"a planned inspection team of {inspection_team} (inspections never borrow)"
        else:
            reach = "" if sc.enforcement.mutual_aid.max_km is None else " within mutual_aid.max_km"
            why = (f"a team of {incident_team}, with {lenders} officer(s) in the units it may "
                   f"borrow from{reach}")  # fmt: skip
        raise ScenarioError(
            field,
            f"unit {unit.name!r}: {unit.officers} officer(s) can never form {why}, under "
            f"shortfall_policy {policy.name!r}",
        )
