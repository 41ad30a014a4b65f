"""The validation cases: ordinary scenarios that the theory solves exactly.

Each case is a scenario mapping like any file in ``scenarios/`` (one township, no
travel, no paperwork, reports the moment an incident starts, officers on duty
around the clock) together with the exact stationary values of the queue it
reduces to. Nothing reaches into the model: a case runs through
``from_mapping``, ``build_world`` and ``simulate`` like every other scenario, so a
pass says something about the model users run.

Run lengths are set in units of the queue's relaxation time ``tau``
(``theory.relaxation_h``): a warm-up of at least ``WARMUP_TAUS`` of them, and a
measured window long enough that each replication's mean is close to normal.
The long mode doubles the replications and quadruples the measured window,
which shrinks every interval about 2.8 times.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import theory
from .theory import QueueValues

WARMUP_TAUS = 5.0
TOWNSHIP_CSV = "township,county,lat_deg,lon_deg\nSolo,Only,29.0,120.0\n"


@dataclass(frozen=True)
class Case:
    """One textbook queue written as a scenario, with what theory says it must give."""

    key: str
    family: str  # "M/M/c", "pairs" or "M/G/1"; the report groups rows by it
    title: str
    arrivals_per_hour: float
    officers: int
    team_size: int
    onsite: Mapping[str, Any]  # a scenario distribution, e.g. {dist: exponential, mean: 1}
    exact: QueueValues
    tau_h: float
    measure_days: float  # measured window of one replication, after the warm-up
    replications: int
    seed: int
    warmup_days: float = 0.0  # 0: WARMUP_TAUS relaxation times, rounded up to a day
    # Applied to the scenario only, never to the theory or the tolerances: how the
    # tests break a run on purpose while judging it against the intact case.
    patch: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.warmup_days:
            object.__setattr__(self, "warmup_days", math.ceil(WARMUP_TAUS * self.tau_h / 24))

    @property
    def horizon_days(self) -> float:
        return self.warmup_days + self.measure_days

    @property
    def measure_h(self) -> float:
        return self.measure_days * 24.0

    def scenario(self, townships_csv: Path) -> dict[str, Any]:
        """The case as a scenario mapping, its region table at ``townships_csv``.

        ``rate_per_day`` is per township of weight 1, and there is one township,
        so the arrival rate per hour is ``rate_per_day / 24``.
        """
        raw: dict[str, Any] = {
            "name": f"validation-{self.key}",
            "seed": self.seed,
            "replications": self.replications,
            "horizon_days": self.horizon_days,
            "warmup_days": self.warmup_days,
            "region": {"townships_csv": str(townships_csv)},
            "counties": {"Only": {"bureau_township": "Solo"}},
            "incident_types": {
                "any": {
                    "rate_per_day": self.arrivals_per_hour * 24,
                    "onsite_hours": dict(self.onsite),
                    "paperwork_hours": {"dist": "fixed", "value": 0},
                }
            },
            "discovery": {
                "model": "delay",
                "delay_hours": {"dist": "fixed", "value": 0},
                "reporting_delay_hours": {"dist": "fixed", "value": 0},
            },
            "duty": {"always": True},
            "travel": {"min_trip_km": 0},
            "enforcement": {"team_size": self.team_size, "diverted_share": 0},
            "inspections": {"rate_per_day": 0},
            "units": {
                "pool": {
                    "model": "stationed",
                    "base_township": "Solo",
                    "officers": self.officers,
                    "townships": ["Solo"],
                }
            },
        }
        return _merge(raw, self.patch)

    def scaled(self, runs: float, length: float) -> Case:
        """More (or fewer) replications and a longer (or shorter) measured window."""
        return replace(
            self,
            replications=max(2, round(self.replications * runs)),
            measure_days=self.measure_days * length,
        )


def _merge(base: dict[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in patch.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _exponential(mean: float) -> dict[str, Any]:
    return {"dist": "exponential", "mean": mean}


def mmc_case(key: str, lam: float, officers: int, *, measure_days: float, seed: int) -> Case:
    """Single-officer teams: the unit is M/M/c with c = officers."""
    exact = theory.mmc(lam, 1.0, officers)
    return _markov_case(key, "M/M/c", f"M/M/{officers}", lam, officers, 1, exact,
                        measure_days, seed)  # fmt: skip


def pairs_case(key: str, lam: float, officers: int, *, measure_days: float, seed: int) -> Case:
    """Every job needs two officers at once: M/M/floor(c/2)."""
    name = f"{officers} officers in pairs = M/M/{officers // 2}"
    exact = theory.pairs(lam, 1.0, officers)
    return _markov_case(key, "pairs", name, lam, officers, 2, exact, measure_days, seed)


def _markov_case(
    key: str, family: str, name: str, lam: float, officers: int, team_size: int,
    exact: QueueValues, measure_days: float, seed: int,
) -> Case:  # fmt: skip
    """Exponential on-site times of mean 1 h, ``officers // team_size`` teams at once."""
    teams = officers // team_size
    return Case(
        key=key,
        family=family,
        title=f"{name}, ρ = {lam / teams:.2f}",
        arrivals_per_hour=lam,
        officers=officers,
        team_size=team_size,
        onsite=_exponential(1.0),
        exact=exact,
        tau_h=theory.relaxation_h(lam, 1.0, teams),
        measure_days=measure_days,
        replications=20,
        seed=seed,
    )


def mg1_case(
    key: str, lam: float, onsite: Mapping[str, Any], *, measure_days: float, seed: int
) -> Case:
    """One officer, teams of one, a fixed or lognormal on-site time: Pollaczek-Khinchine.

    The theory's mean and cv are read off the very mapping the scenario gets, so
    the two cannot drift apart.
    """
    mean_h = float(onsite["value"] if onsite["dist"] == "fixed" else onsite["mean"])
    cv = float(onsite.get("cv", 0.0))
    name = "M/D/1" if cv == 0 else f"M/G/1 (lognormal, cv {cv:g})"
    return Case(
        key=key,
        family="M/G/1",
        title=f"{name}, ρ = {lam * mean_h:.2f}",
        arrivals_per_hour=lam,
        officers=1,
        team_size=1,
        onsite=onsite,
        exact=theory.pollaczek_khinchine(lam, mean_h, cv**2),
        tau_h=theory.relaxation_h(lam, mean_h, 1, cv**2),
        measure_days=measure_days,
        replications=20,
        seed=seed,
    )


def default_cases() -> list[Case]:
    """The suite. Loads are chosen so a 10% error in any rate moves some value by
    several interval widths; windows so the whole suite runs in about 15 s on 2 cores."""
    return [
        mmc_case("mm3-light", 1.5, 3, measure_days=80, seed=8101),
        mmc_case("mm3-medium", 2.25, 3, measure_days=80, seed=8102),
        mmc_case("mm3-heavy", 2.7, 3, measure_days=160, seed=8103),
        pairs_case("pairs-4", 1.6, 4, measure_days=120, seed=8201),
        pairs_case("pairs-5", 1.6, 5, measure_days=120, seed=8202),
        mg1_case("md1", 1.6, {"dist": "fixed", "value": 0.5}, measure_days=80, seed=8301),
        mg1_case(
            "mg1-lognormal",
            0.4,
            {"dist": "lognormal", "mean": 2.0, "cv": 0.5},  # the model's default on-site time
            measure_days=250,
            seed=8302,
        ),
        mg1_case(
            "mg1-lognormal-cv1.5",
            0.6,
            {"dist": "lognormal", "mean": 1.0, "cv": 1.5},
            # E[S^4] is 3.25^6 E[S]^4: replication means are skewed (about 1.1 at
            # 200 days), so a longer window keeps the t interval honest
            measure_days=300,
            seed=8303,
        ),
    ]


def cases(long: bool = False) -> list[Case]:
    """The suite in its default or long-run form."""
    out = default_cases()
    return [c.scaled(runs=2, length=4) for c in out] if long else out


def broken_cases() -> list[tuple[str, Case]]:
    """Runs broken on purpose, each judged against the intact case: the suite must
    reject every one. Short runs, since a real fault moves the answer by far more
    than the interval of even a short run."""
    light, heavy, pairs4 = (
        {c.key: c for c in default_cases()}[k] for k in ("mm3-light", "mm3-heavy", "pairs-4")
    )
    rate = light.arrivals_per_hour * 24 * 1.1
    return [
        (
            "arrival rate 10% too high (rate_per_day mis-scaled)",
            replace(
                light.scaled(runs=0.5, length=0.5),
                patch={"incident_types": {"any": {"rate_per_day": rate}}},
            ),
        ),
        (
            "teams of one officer where the case needs pairs",
            replace(pairs4.scaled(runs=0.25, length=0.15), patch={"enforcement": {"team_size": 1}}),
        ),
        (
            "warm-up not dropped: heavy load measured from the empty start",
            replace(
                heavy,
                replications=100,
                measure_days=3,
                patch={"warmup_days": 0, "horizon_days": 3},
            ),
        ),
    ]
