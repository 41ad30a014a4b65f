"""Duty rotas: each officer's own regular duty and on-call time, built once per world.

The default rota — every officer of a unit on the unit's weekly calendar, every officer on
call whenever off duty — needs nothing per officer: the unit's calendar says it all and
the model keeps its shared-calendar path (``build_rota`` returns ``None``). Any other rota
(a weekend team, a night on-call team, a staggered week, call-out limits) gives every
officer a regular-duty calendar and an on-call calendar over the run (``WindowCalendar``),
the teams rotating through a unit's or a county's officers in a fixed order, and the
moments at which someone comes on duty or on call (``wake_h``), when the dispatcher must
look again.

An office day is a day whose weekday is in ``duty.weekdays``, a public holiday counting
as a Sunday and a day worked in lieu as a Monday (``scenario.calendar``); a staggered week
runs through holidays (a seven-day service does not close for them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import ScenarioError
from ..registry import SHORTFALL_POLICIES
from ..scenario.schema import WEEKDAYS, Calendar, Duty, Rota, Scenario
from .dates import holiday_days, workday_days
from .duty import DAY_H, WEEK_H, DutyCalendar
from .windows import Window, WindowCalendar, merged, minus

DutyClock = DutyCalendar | WindowCalendar


@dataclass(frozen=True)
class RotaUnit:
    """What the rota needs of a unit: its name, county, duty, head count, and where its
    duty is written (a field path for messages)."""

    name: str
    county: str
    duty: Duty
    officers: int
    where: str


@dataclass(frozen=True)
class OfficerDuty:
    regular: DutyClock  # own regular duty (weekday shifts and weekend-team days)
    on_call: DutyClock  # off regular duty and on call
    county_duty: DutyClock | None  # the part of `regular` that serves the whole county
    county_on_call: bool  # on call for the whole county, not only the own unit
    max_callouts_per_week: int | None
    rest_after_callout_hours: float


@dataclass(frozen=True)
class DutyRota:
    officers: tuple[OfficerDuty, ...]  # every officer, units in order
    presence: tuple[DutyClock, ...]  # per unit: someone of its own on regular duty
    service: tuple[DutyClock, ...]  # per unit: its own or a county team on regular duty
    county_duty_pool: tuple[tuple[int, ...], ...]  # per unit: other units' officers on
    county_call_pool: tuple[tuple[int, ...], ...]  # county duty / county call for it
    wake_h: tuple[float, ...]  # someone comes on duty or on call, a week starts
    wake_officers: tuple[tuple[int, ...], ...]  # who comes on regular duty then
    wake_units: tuple[tuple[int, ...], ...]  # which units may then dispatch


def is_default(duty: Duty) -> bool:
    return duty.rota == Rota()


def office_days(duty: Duty, dates: Calendar, n_days: int) -> np.ndarray:
    """Whether each run day is an office day of ``duty``."""
    weekday = np.arange(n_days) % 7
    weekday[[d for d in workday_days(dates) if 0 <= d < n_days]] = 0
    weekday[[d for d in holiday_days(dates) if 0 <= d < n_days]] = 6
    return np.isin(weekday, [WEEKDAYS.index(d) for d in duty.weekdays])


def day_windows(duty: Duty, days) -> list[Window]:
    """The shifts of ``duty`` on the given run days (sorted), as Python floats."""
    at = np.asarray(days, dtype=float)[:, None] * DAY_H
    lo = (at + [s.start_hour for s in duty.shifts]).ravel().tolist()
    hi = (at + [s.end_hour for s in duty.shifts]).ravel().tolist()
    return list(zip(lo, hi, strict=True))


def horizon_days(sc: Scenario) -> int:
    """Days over which explicit windows are built: the run and a day beyond it."""
    return math.ceil(sc.horizon_hours / DAY_H) + 1


def office_calendar(duty: Duty, sc: Scenario, cache: dict) -> DutyClock:
    """The unit calendar of the default rota: the weekly pattern, unless the scenario
    names holidays or days worked in lieu (then the office observes them)."""
    dates = sc.calendar
    if duty.always or not (dates.holidays or dates.workdays):
        return DutyCalendar.from_spec(duty)
    days = np.flatnonzero(office_days(duty, dates, horizon_days(sc)))
    return WindowCalendar.interned(day_windows(duty, days), cache)


def build_rota(sc: Scenario, units: list[RotaUnit], cache: dict) -> DutyRota | None:
    """Every officer's calendars, or ``None`` when every unit keeps the default rota."""
    if all(is_default(u.duty) for u in units):
        return None
    n_days = horizon_days(sc)
    end_h = n_days * DAY_H
    first = np.cumsum([0] + [u.officers for u in units]).tolist()
    unit_of = [u for u, unit in enumerate(units) for _ in range(unit.officers)]
    least = SHORTFALL_POLICIES[sc.enforcement.shortfall_policy].min_free(sc.largest_team())
    office = [office_days(u.duty, sc.calendar, n_days) for u in units]

    # regular windows: the office week (or a staggered one), then the weekend teams
    regular: list[list[Window] | None] = []
    for u, unit in enumerate(units):
        duty = unit.duty
        shared = day_windows(duty, np.flatnonzero(office[u]))  # one list for the unit
        for i in range(unit.officers):
            if duty.always:
                regular.append(None)
            elif duty.rota.staggered_week:
                off, m = (i * 7) // unit.officers, len(duty.weekdays)
                regular.append(day_windows(duty, [d for d in range(n_days) if (d - off) % 7 < m]))
            else:
                regular.append(shared)
    weekend_days: dict[int, list[int]] = {}
    weekend_pools = _pools(units, first, "weekend_team", least)
    for (_, members), team in weekend_pools.items():
        for week in range(math.ceil(n_days / 7)):
            for j in range(team.officers):
                g = members[(week * team.officers + j) % len(members)]
                days = range(week * 7, min(week * 7 + 7, n_days))
                weekend_days.setdefault(g, []).extend(d for d in days if not office[unit_of[g]][d])
    weekend = {g: day_windows(units[unit_of[g]].duty, d) for g, d in weekend_days.items()}
    for g, extra in weekend.items():
        regular[g] = merged(regular[g] + extra)  # type: ignore[operator]

    # on call: every officer off duty, or the night team of each day
    on_call: dict[int, list[Window]] = {}
    night_pools = _pools(units, first, "night_on_call", least)
    for (_, members), team in night_pools.items():
        h = team.handover_hour
        for day in range(-1, n_days):
            for j in range(team.officers):
                g = members[(day * team.officers + j) % len(members)]
                lo = max(day * DAY_H + h, 0.0)
                on_call.setdefault(g, []).append((lo, (day + 1) * DAY_H + h))

    officers = []
    shared: dict[int, WindowCalendar] = {}  # by the id of a list of windows officers share
    off_duty: dict[WindowCalendar, WindowCalendar] = {}  # on call whenever off duty
    for g, own in enumerate(regular):
        duty = units[unit_of[g]].duty
        rota = duty.rota
        if own is None:
            reg: DutyClock = DutyCalendar.from_spec(duty)
            call: DutyClock = WindowCalendar.interned([], cache)
        else:
            if id(own) not in shared:
                shared[id(own)] = WindowCalendar.interned(own, cache)
            reg = shared[id(own)]
            if rota.night_on_call is not None:
                calls = minus(merged(on_call.get(g, [])), reg.windows())
                call = WindowCalendar.interned(calls, cache)
            else:
                if reg not in off_duty:
                    calls = minus([(0.0, end_h)], reg.windows())
                    off_duty[reg] = WindowCalendar.interned(calls, cache)
                call = off_duty[reg]
        county = rota.weekend_team is not None and rota.weekend_team.per == "county"
        county_call = rota.night_on_call is not None and rota.night_on_call.per == "county"
        officers.append(
            OfficerDuty(
                regular=reg,
                on_call=call,
                county_duty=WindowCalendar.interned(weekend.get(g, []), cache) if county else None,
                county_on_call=county_call,
                max_callouts_per_week=rota.max_callouts_per_week,
                rest_after_callout_hours=rota.rest_after_callout_hours,
            )
        )
    return _assemble(units, first, officers, weekend_pools, night_pools, end_h, cache)


def _pools(units: list[RotaUnit], first: list[int], piece: str, least: int) -> dict:
    """The teams of one rota piece: ``{(key, members): spec}``, members the global indices
    of the officers the team rotates through (a unit's, or every such unit's of a county)."""
    found: dict = {}
    for u, unit in enumerate(units):
        team = getattr(unit.duty.rota, piece)
        if team is None:
            continue
        where = f"{unit.where}.rota.{piece}"
        key = ("county", unit.county) if team.per == "county" else ("unit", u)
        if key in found and found[key][0] != team:
            raise ScenarioError(
                where, f"differs from another unit's in county {unit.county!r}: a county team "
                "is one team",
            )  # fmt: skip
        spec, members, _ = found.get(key, (team, [], where))
        members.extend(range(first[u], first[u + 1]))
        found[key] = (spec, members, where)
    out = {}
    for key, (team, members, where) in found.items():
        if team.officers > len(members):
            raise ScenarioError(
                f"{where}.officers",
                f"a team of {team.officers} from {len(members)} officer(s) cannot be formed",
            )
        if team.officers < least:
            raise ScenarioError(
                f"{where}.officers",
                f"a team of {team.officers} can never send the largest job's {least} officers",
            )
        out[(key, tuple(members))] = team
    return out


def _assemble(
    units: list[RotaUnit],
    first: list[int],
    officers: list[OfficerDuty],
    weekend_pools: dict,
    night_pools: dict,
    end_h: float,
    cache: dict,
) -> DutyRota:
    """Per unit the presence and service calendars and county pools, and the wake-ups."""
    n = len(units)
    unit_of = [u for u in range(n) for _ in range(first[u], first[u + 1])]
    duty_pool: list[list[int]] = [[] for _ in range(n)]
    call_pool: list[list[int]] = [[] for _ in range(n)]
    for pools, out in ((weekend_pools, duty_pool), (night_pools, call_pool)):
        for ((kind, _), members), _team in pools.items():
            if kind != "county":
                continue
            for u in dict.fromkeys(unit_of[g] for g in members):
                out[u] = [g for g in members if unit_of[g] != u]
    presence, service = [], []
    for u in range(n):
        own = list(dict.fromkeys(officers[g].regular for g in range(first[u], first[u + 1])))
        if any(c.always for c in own):
            presence.append(next(c for c in own if c.always))
            service.append(presence[-1])
            continue
        windows = merged(w for c in own for w in c.windows())  # type: ignore[union-attr]
        presence.append(WindowCalendar.interned(windows, cache))
        county = [w for g in duty_pool[u] for w in officers[g].county_duty.windows()]  # type: ignore[union-attr]
        service.append(WindowCalendar.interned(windows + county, cache) if county else presence[-1])
    # wake-ups: officers coming on duty or on call, by time, and the units they serve
    on_duty = [(np.asarray(getattr(o.regular, "starts", ())), g) for g, o in enumerate(officers)]
    on_call = [(np.asarray(getattr(o.on_call, "starts", ())), g) for g, o in enumerate(officers)]
    serves = [{u, *(unit_of[h] for h in duty_pool[u])} for u in unit_of]  # per officer
    calls_for = [{u, *(unit_of[h] for h in call_pool[u])} for u in unit_of]
    weeks = np.zeros(0)
    if any(units[u].duty.rota.max_callouts_per_week is not None for u in range(n)):
        weeks = np.arange(1, math.ceil(end_h / WEEK_H) + 1) * WEEK_H  # limits reset
    duty_at, coming = _by_time(on_duty)
    call_at, called = _by_time(on_call)
    times = np.unique(np.concatenate([duty_at, call_at, weeks]))
    wake_officers: list[tuple[int, ...]] = [()] * len(times)
    wake_units: list[set[int]] = [set() for _ in times]
    for k, who in zip(np.searchsorted(times, duty_at).tolist(), coming, strict=True):
        wake_officers[k] = who
        wake_units[k].update(*(serves[g] for g in who))
    for k, who in zip(np.searchsorted(times, call_at).tolist(), called, strict=True):
        wake_units[k].update(*(calls_for[g] for g in who))
    for k in np.searchsorted(times, weeks).tolist():
        wake_units[k].update(range(n))
    return DutyRota(
        officers=tuple(officers),
        presence=tuple(presence),
        service=tuple(service),
        county_duty_pool=tuple(tuple(p) for p in duty_pool),
        county_call_pool=tuple(tuple(p) for p in call_pool),
        wake_h=tuple(times.tolist()),
        wake_officers=tuple(wake_officers),
        wake_units=tuple(tuple(sorted(us)) for us in wake_units),
    )


def _by_time(pairs: list[tuple[np.ndarray, int]]) -> tuple[np.ndarray, list[tuple[int, ...]]]:
    """Distinct times, and the distinct ids (sorted) paired with each."""
    if not pairs:
        return np.zeros(0), []
    t = np.concatenate([times for times, _ in pairs])
    ids = np.concatenate([np.full(len(times), i, dtype=np.int64) for times, i in pairs])
    order = np.lexsort((ids, t))
    t, ids = t[order], ids[order]
    keep = np.ones(len(t), dtype=bool)
    keep[1:] = (t[1:] != t[:-1]) | (ids[1:] != ids[:-1])
    t, ids = t[keep], ids[keep]
    times, first = np.unique(t, return_index=True)
    groups = np.split(ids, first[1:])
    return times, [tuple(g.tolist()) for g in groups]
