"""An audit of every run's records: the invariants a correct model cannot break.

Researchers run thousands of variations unattended; a silent wrong number costs
them days. Every replication's tables are checked before they are used (the
experiment layer calls ``audit`` on by default; ``--no-audit`` skips it), and a
broken invariant fails that run loudly — recorded with the rest of the run's
failures — instead of flowing into the statistics. All checks are vectorised:
they cost a few per cent of the run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .model.records import STATUSES
from .registry import SHORTFALL_POLICIES
from .world.build import World
from .world.duty import WEEK_H

STAGES = ["start_h", "discovered_h", "reported_h", "team_formed_h", "arrived_h", "done_h"]
WORK = ["onsite_hours", "travel_hours", "paperwork_hours", "inspection_hours", "diverted_hours"]
EPS = 1e-6


class AuditError(RuntimeError):
    """A run's records break an invariant of the model."""


def audit(
    incidents: pd.DataFrame,
    officers: pd.DataFrame,
    assignments: pd.DataFrame,
    *,
    shortfall_policy: str,
    window_hours: tuple[float, float],
    world: World | None = None,
) -> None:
    """Raise ``AuditError`` naming every invariant the records break; given the ``world``,
    also that every officer kept to their rota (``_on_the_rota``)."""
    # the officer column as codes, once: sorting or comparing tens of thousands of strings
    # (Arrow-backed in pandas 3) was most of the audit's time
    who, names = pd.factorize(assignments["officer"], sort=True)
    by_officer = _by_officer(assignments, who)
    problems = [
        *_stages_in_order(incidents),
        *_conservation(incidents, world is not None and _thinned(world)),
        *_no_officer_in_two_places(assignments, who, names, by_officer),
        *_team_sizes(incidents, assignments, shortfall_policy),
        *_hours_add_up(officers),
        *_littles_law(incidents, window_hours),
        *(_on_the_rota(officers, assignments, who, names, world, window_hours) if world else []),
    ]
    if problems:
        raise AuditError("audit failed: " + "; ".join(problems))


def _ids(df: pd.DataFrame, mask: np.ndarray, col: str = "incident_id") -> str:
    ids = df.loc[mask, col].head(3).tolist()
    return f"{int(mask.sum())} (e.g. {col} {ids})"


def _stages_in_order(inc: pd.DataFrame) -> list[str]:
    t = inc[STAGES].to_numpy(dtype=float)
    seen = ~np.isnan(t)
    out = []
    gap = (seen[:, 1:] & ~seen[:, :-1]).any(axis=1)
    if gap.any():
        out.append(f"a later stage recorded without an earlier one: {_ids(inc, gap)}")
    with np.errstate(invalid="ignore"):
        back = np.nan_to_num(np.diff(np.where(seen, t, np.nan), axis=1), nan=0.0) < -EPS
    bad = back.any(axis=1)
    if bad.any():
        out.append(f"timestamps out of order: {_ids(inc, bad)}")
    return out


def _thinned(world: World) -> bool:
    """Does general deterrence thin this world's incidents (``sim.model.monthly``)?"""
    d = world.scenario.deterrence
    return d is not None and d.elasticity > 0


def _conservation(inc: pd.DataFrame, thinned: bool = False) -> list[str]:
    """Every incident ends in exactly one state, and the state agrees with its times;
    ``thinned`` (deterrence on): deterred ones never happened, the others keep their ids."""
    column = inc["status"]
    if isinstance(column.dtype, pd.CategoricalDtype) and list(column.cat.categories) == STATUSES:
        status = column.cat.codes.to_numpy()  # as the model writes it: compare codes
        unknown = status < 0
    else:
        status = pd.Categorical(column.astype(str), categories=STATUSES).codes
        unknown = status < 0
    out = []
    if unknown.any():
        out.append(f"incidents with no valid status: {_ids(inc, unknown)}")
    code = {name: k for k, name in enumerate(STATUSES)}
    expect = np.select(
        [np.isnan(inc["discovered_h"].to_numpy(dtype=float)), inc["settled"].to_numpy(dtype=bool),
         np.isnan(inc["reported_h"].to_numpy(dtype=float)),
         np.isnan(inc["team_formed_h"].to_numpy(dtype=float)),
         np.isnan(inc["done_h"].to_numpy(dtype=float))],
        [code[s] for s in ("undiscovered", "settled", "reporting", "waiting", "in_progress")],
        default=code["resolved"],
    )  # fmt: skip
    wrong = status != expect
    if wrong.any():
        out.append(f"status disagrees with the recorded times: {_ids(inc, wrong)}")
    ids = inc["incident_id"].to_numpy()
    gaps = thinned and (np.diff(ids) > 0).all()  # increasing: none twice, none out of place
    if len(inc) and (ids != np.arange(len(inc))).any() and not gaps:  # 0..n-1: no duplicates
        if len(np.unique(ids)) < len(ids):
            out.append("an incident appears twice")
        out.append("incident ids are not 0..n-1: some incidents vanished")
    return out


def _by_officer(asg: pd.DataFrame, who: np.ndarray) -> np.ndarray:
    """Assignment rows by officer (``who``: codes in name order), then start, then end, as
    a stable sort. The model logs each officer's work in that order already, so one stable
    sort by officer is checked and kept; a three-key sort only when it is not."""
    start, end = asg["start_h"].to_numpy(dtype=float), asg["end_h"].to_numpy(dtype=float)
    order = np.argsort(who, kind="stable")
    w, s, e = who[order], start[order], end[order]
    later = (s[1:] > s[:-1]) | ((s[1:] == s[:-1]) & (e[1:] >= e[:-1]))
    if (later | (w[1:] != w[:-1])).all():
        return order
    return np.lexsort((end, start, who))


def _no_officer_in_two_places(
    asg: pd.DataFrame, who: np.ndarray, names, order: np.ndarray
) -> list[str]:
    """Each officer's work in the order of ``_by_officer``: none starts before the piece
    before it ends."""
    if asg.empty:
        return []
    start, end = asg["start_h"].to_numpy(dtype=float), asg["end_h"].to_numpy(dtype=float)
    w, start, end = who[order], start[order], end[order]
    overlap = (w[1:] == w[:-1]) & (start[1:] < end[:-1] - EPS)
    if overlap.any():
        officers = [names[k] for k in w[1:][overlap][:3]]
        return [f"officers busy twice at once: {int(overlap.sum())} (e.g. {officers})"]
    if (end < start - EPS).any():
        return ["a piece of work ends before it starts"]
    return []


def _team_sizes(inc: pd.DataFrame, asg: pd.DataFrame, policy: str) -> list[str]:
    out = []
    formed = inc["team_formed_h"].notna().to_numpy()
    present = inc["officers_present"].to_numpy()
    need = inc["team_size"].to_numpy()
    short = formed & (present < need)
    if not SHORTFALL_POLICIES[policy].allows_short_team and short.any():
        out.append(f"teams below the legal size under '{policy}': {_ids(inc, short)}")
    if (formed & ((present < 1) | (present > need))).any():
        out.append("teams of no officers, or larger than required")
    if (~formed & (present != 0)).any():
        out.append("officers recorded on incidents no team attended")
    job = asg["job"].to_numpy(dtype=np.int64)[(asg["kind"] == "incident").to_numpy()]
    ids = inc["incident_id"].to_numpy(dtype=np.int64)
    crews = np.bincount(job[job >= 0], minlength=int(ids.max(initial=-1)) + 1)
    inside = (ids >= 0) & (ids < len(crews))
    counted = np.where(inside, crews[np.where(inside, ids, 0)], 0)
    if (formed & (counted != present)).any():
        out.append("officers_present differs from the officers assigned")
    return out


def _hours_add_up(off: pd.DataFrame) -> list[str]:
    col = {c: off[c].to_numpy(dtype=float) for c in (*WORK, *_HOURS)}
    worked = np.nansum([col[c] for c in WORK], axis=0)
    in_duty = col["duty_hours"] - col["idle_hours"]
    out = []
    if (np.abs(worked - (in_duty + col["overtime_hours"])) > EPS * (1 + worked)).any():
        out.append("officer hours by activity do not add up to duty minus idle plus overtime")
    if (col["idle_hours"] < -EPS).any() or (col["overtime_hours"] < -EPS).any():
        out.append("negative idle or overtime hours")
    if (col["utilisation"] > 1 + EPS).any():
        out.append("utilisation above 1")
    return out


_HOURS = ("duty_hours", "idle_hours", "overtime_hours", "utilisation")


def _littles_law(inc: pd.DataFrame, window: tuple[float, float]) -> list[str]:
    """Per unit, time-average reports waiting L against (reports/T) x mean wait W over the
    window: they differ only by reports straddling the window's ends (an exact bound)."""
    lo, hi = window
    span = hi - lo
    rep = inc["reported_h"].to_numpy(dtype=float)
    end = np.where(inc["team_formed_h"].isna(), hi, inc["team_formed_h"].to_numpy(dtype=float))
    out = []
    for unit, idx in inc.groupby("unit", observed=True).indices.items():
        r, e = rep[idx], end[idx]
        ok = ~np.isnan(r)
        r, e = r[ok], np.minimum(e[ok], hi)
        L = np.clip(np.minimum(e, hi) - np.maximum(r, lo), 0, None).sum() / span
        inside = (r >= lo) & (r < hi)
        lw = (e[inside] - r[inside]).sum() / span
        straddle = ((r < lo) & (e > lo)) | (inside & (e >= hi))
        bound = straddle.sum() * (e - r).max(initial=0) / span + EPS
        if abs(L - lw) > bound:
            out.append(f"Little's law fails for unit {unit}: L={L:.4g}, lambda*W={lw:.4g}")
    return out


def _on_the_rota(
    off: pd.DataFrame,
    asg: pd.DataFrame,
    codes: np.ndarray,
    names,
    world: World,
    window: tuple[float, float],
) -> list[str]:
    """No officer starts work outside their regular duty except on a recorded call-out,
    and then only while on call (under the default rota: while off duty); no officer goes
    on more call-outs in a week than the limit, nor on one before the rest after the
    previous one is over; the officer table counts every call-out of the window."""
    if asg.empty:
        return []
    ids, regular, on_call, duties = [], [], [], []
    for unit in world.units:
        for k in range(unit.officers):
            duty = world.rota.officers[len(ids)] if world.rota else None
            ids.append(f"{unit.name}-{k + 1}")
            regular.append(duty.regular if duty else unit.calendar)
            on_call.append(duty.on_call if duty else None)
            duties.append(duty)
    index = {ident: g for g, ident in enumerate(ids)}
    who = np.array([index[x] for x in names], dtype=np.int64)[codes]
    start = asg["start_h"].to_numpy(dtype=float)
    work = (asg["kind"] != "return").to_numpy()
    called = asg["callout"].to_numpy(dtype=bool)
    on, calling = np.zeros(len(asg), dtype=bool), ~np.zeros(len(asg), dtype=bool)
    for cal, rows in _rows_by(regular, who).items():
        on[rows] = cal.on_duty_many(start[rows])
    for cal, rows in _rows_by(on_call, who).items():
        if cal is not None:
            calling[rows] = cal.on_duty_many(start[rows])
    out = []
    bad = work & ~called & ~on
    if bad.any():
        out.append(f"work started off the officer's regular duty: {_where(asg, bad)}")
    bad = work & called & (on | ~calling)
    if bad.any():
        out.append(f"call-outs of officers on duty or not on call: {_where(asg, bad)}")
    job = work & called
    counted = np.bincount(who[job & (start >= window[0])], minlength=len(ids))
    if (
        "callouts" in off
        and (off["callouts"].to_numpy() != counted[off["officer"].map(index)]).any()
    ):
        out.append("officers' call-outs differ from the call-outs assigned")
    if world.rota:
        out += _limits(asg, who, job, duties, ids)
    return out


def _rows_by(calendar_of: list, who: np.ndarray) -> dict:
    """Assignment rows grouped by their officer's calendar (shared by many officers): one
    stable sort of small codes (a radix sort), then slices."""
    distinct = list(dict.fromkeys(calendar_of))
    index = {cal: k for k, cal in enumerate(distinct)}
    code = np.array([index[cal] for cal in calendar_of], dtype=np.int64)[who]
    code = code.astype(np.int16) if len(distinct) < 2**15 else code
    order = np.argsort(code, kind="stable")
    bounds = np.searchsorted(code[order], np.arange(len(distinct) + 1)).tolist()
    return {cal: order[bounds[k] : bounds[k + 1]] for k, cal in enumerate(distinct)
            if bounds[k + 1] > bounds[k]}  # fmt: skip


def _where(asg: pd.DataFrame, mask: np.ndarray) -> str:
    rows = asg.loc[mask, ["officer", "start_h"]].head(3).itertuples(index=False)
    return f"{int(mask.sum())} (e.g. {', '.join(f'{o} at {t:.2f} h' for o, t in rows)})"


def _limits(asg: pd.DataFrame, who: np.ndarray, job: np.ndarray, duties: list, ids: list) -> list:
    """Call-outs per officer per run week, and the rest after each: with a rest the
    officer goes home after a call-out, so its end is the end of the way back, the
    officer's next piece of work."""
    start, end = asg["start_h"].to_numpy(dtype=float), asg["end_h"].to_numpy(dtype=float)
    order = np.lexsort((start, who))
    out = []
    for g in np.unique(who[job]):
        duty, mine = duties[g], order[who[order] == g]
        calls = np.flatnonzero(job[mine])
        limit = duty.max_callouts_per_week
        weeks = np.floor(start[mine[calls]] / WEEK_H).astype(np.int64)
        if limit is not None and np.bincount(weeks).max() > limit:
            out.append(f"{ids[g]} went on more than {limit} call-out(s) in a week")
        rest = duty.rest_after_callout_hours
        if rest <= 0:
            continue
        for a, b in zip(calls, calls[1:], strict=False):
            back = end[mine[a + 1]]  # the way back (a later call-out: a + 1 < b)
            if start[mine[b]] < back + rest - EPS:
                out.append(
                    f"{ids[g]} called out at {start[mine[b]]:.2f} h, within the {rest:g} h "
                    f"rest after the call-out ended at {back:.2f} h"
                )
                break
    return out
