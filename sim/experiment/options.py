"""How to run an experiment, as opposed to what it runs: one frozen value.

The command line builds it once from its flags (each flag's ``dest`` is the
option's name), the Python API once from the verb's keywords, and every layer
below (experiment, batch, run spec, staffing probes) receives it whole. A new
option is a field here and a line where it is used; the rule a value must meet
is written once, in ``RULES``, and the command line parses its flags by the same
rules. What an experiment is about (scenario files, a staffing target, models,
totals) stays a parameter of its verb.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from numbers import Integral, Real
from pathlib import Path
from typing import Any

from ..errors import ScenarioError

# option -> (kind, test, wording of the test): checked by RunOptions, and by the CLI's flags
RULES: dict[str, tuple[type, Callable[[Any], bool], str]] = {
    "seed": (int, lambda v: v >= 0, ">= 0"),
    "replications": (int, lambda v: v >= 1, "at least 1"),
    "jobs": (int, lambda v: v >= 1, "at least 1"),
    "max_run_seconds": (float, lambda v: 0 < v < math.inf, "a positive number"),
    "precision": (float, lambda v: 0 < v < 1, "between 0 and 1"),
    "max_replications": (int, lambda v: v >= 1, "at least 1"),
    "partitions": (int, lambda v: v >= 1, "at least 1"),
}


@dataclass(frozen=True)
class RunOptions:
    """Executor, seeds, replications, folders and safety of one experiment.

    ``seed`` and ``replications`` left at None take the plan's or the scenario's own
    (``defaults``). ``overrides`` (``PATH=VALUE``) apply where a verb loads a scenario
    file. ``jobs`` None means every core. ``out`` is the results folder and holds the
    run store; None writes nothing; a folder holding other files than a results folder's
    is refused unless ``overwrite``. ``keep_records`` None keeps the record tables for
    run and compare and not for a sweep, where they are large. ``partitions`` splits
    each replication into that many batches of counties (``sim.experiment.partition``;
    None: one, unless the region has more townships than one batch should hold).
    ``progress`` (runs done, runs to do) is called in this process after each run, for a
    progress bar (the app's); it is not a setting of the experiment: never in the
    manifest, a run key, nor shipped to worker processes.
    """

    seed: int | None = None
    replications: int | None = None
    overrides: tuple[str, ...] = ()
    jobs: int | None = 1
    dask: str | None = None
    out: Path | None = None
    overwrite: bool = False
    quiet: bool = True
    audit: bool = True
    force: bool = False
    max_run_seconds: float | None = None
    precision: float | None = None
    precision_indicator: str = "response_h_mean"
    max_replications: int = 200
    keep_records: bool | None = None
    partitions: int | None = None
    progress: Callable[[int, int], None] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name, (kind, ok, rule) in RULES.items():
            value = getattr(self, name)
            if value is None:
                continue
            if not isinstance(value, Integral if kind is int else Real) or isinstance(value, bool):
                noun = "a whole number" if kind is int else "a number"
                raise ScenarioError(name, f"expected {noun}, got {value!r}")
            if not ok(value):
                raise ScenarioError(name, f"must be {rule}, got {value}")
        overrides = (self.overrides,) if isinstance(self.overrides, str) else self.overrides
        object.__setattr__(self, "overrides", tuple(overrides))
        if self.out is not None:
            object.__setattr__(self, "out", Path(self.out))

    @property
    def runs_folder(self) -> Path | None:
        """The run store: every finished run, so a restarted experiment repeats none."""
        return self.out / "runs" if self.out is not None else None

    def defaults(self, seed: int | None, replications: int | None) -> RunOptions:
        """These options, with a plan's or a scenario's seed and replications where unset."""
        return replace(
            self,
            seed=seed if self.seed is None else self.seed,
            replications=replications if self.replications is None else self.replications,
        )


OPTION_NAMES = tuple(f.name for f in fields(RunOptions))


def run_options(options: RunOptions | None = None, /, **changes: Any) -> RunOptions:
    """``options`` (default: the defaults) with ``changes``: how every verb of the API
    reads ``options=`` and its keywords. An unknown keyword is a TypeError naming it."""
    for name in changes:
        if name not in OPTION_NAMES:
            close = difflib.get_close_matches(name, OPTION_NAMES, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise TypeError(
                f"unknown run option {name!r}{hint} (run options: {', '.join(OPTION_NAMES)})"
            )
    return replace(options or RunOptions(), **changes)
