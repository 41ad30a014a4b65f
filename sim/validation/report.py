"""Run the validation cases and write ``docs/validation.md``.

The document is generated, never typed, so its numbers are always the ones the
current model produces; ``python -m sim.validation`` (or ``enforcement-sim
validate-model``) regenerates it and exits non-zero if any check fails or any
deliberately broken run passes.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..model import simulate
from ..scenario.load import from_mapping
from ..world import World, build_world
from . import checks
from .cases import TOWNSHIP_CSV, Case, broken_cases, cases
from .checks import Check, judge, measure

COMMAND = "python -m sim.validation"
CHECKOUT = Path(__file__).resolve().parents[2]  # the repository, when run from one


def default_out() -> Path:
    """docs/validation.md of the checkout the code runs from; an installed package has no
    docs folder, so there the document goes to the current folder."""
    if (CHECKOUT / "pyproject.toml").is_file() and (CHECKOUT / "docs").is_dir():
        return CHECKOUT / "docs" / "validation.md"
    return Path("validation.md")


def _replicate(job: tuple[World, int, int]) -> dict:
    """One replication reduced to its measured values (small, cheap to send back)."""
    world, seed, replication = job
    rec = simulate(world, seed, replication)
    sc = world.scenario
    return measure(rec.incidents, rec.officers, (sc.warmup_hours, sc.horizon_hours))


def build(case: Case) -> World:
    """The case's world, built from its scenario mapping like any user scenario."""
    with tempfile.TemporaryDirectory(prefix="validation-") as tmp:
        csv = Path(tmp) / "one_township.csv"
        csv.write_text(TOWNSHIP_CSV)
        return build_world(from_mapping(case.scenario(csv)))


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def run_cases(batch: Sequence[Case], workers: int | None = None) -> list[list[dict]]:
    """Every replication of every case, spread over processes, longest first so the
    cores finish together; values come back grouped by case, in replication order."""
    jobs = [
        (k, (world, case.seed, r))
        for k, case in enumerate(batch)
        for world in [build(case)]
        for r in range(case.replications)
    ]
    jobs.sort(key=lambda j: -batch[j[0]].arrivals_per_hour * batch[j[0]].horizon_days)
    workers = default_workers() if workers is None else workers
    if workers <= 1:
        values = [_replicate(job) for _, job in jobs]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            values = list(pool.map(_replicate, [job for _, job in jobs]))
    out: list[dict[int, dict]] = [{} for _ in batch]
    for (k, (_, _, r)), value in zip(jobs, values, strict=True):
        out[k][r] = value
    return [[reps[r] for r in sorted(reps)] for reps in out]


def validate(batch: Sequence[Case], workers: int | None = None) -> list[list[Check]]:
    """Each case's checks, in the order given."""
    return [judge(c, reps) for c, reps in zip(batch, run_cases(batch, workers), strict=True)]


def odd_officer_check(even: Case, odd: Case, days: float = 60.0) -> Check:
    """The odd officer out adds nothing, path by path: with pairs for every job and
    the same random numbers, 2k + 1 officers give every report exactly the wait
    2k officers give it (officers are taken and freed two at a time, so one is
    always left over). Stronger than agreeing in distribution, and cheap."""
    waits = []
    for case in (even, odd):
        short = replace(case, seed=even.seed, measure_days=days, replications=1)
        inc = simulate(build(short), even.seed, 0).incidents
        waits.append((inc["team_formed_h"] - inc["reported_h"]).to_numpy(float))
    a, b = waits
    same_shape = a.shape == b.shape and bool(np.array_equal(np.isnan(a), np.isnan(b)))
    gap = float(np.nanmax(np.abs(a - b), initial=0.0)) if same_shape else float("inf")
    return Check.of(
        odd,
        "odd_officer",
        f"every wait equals {even.key}'s (same seed, {len(a)} reports)",
        exact=0.0,
        value=gap,
        low=0.0,
        high=0.0,
        allowance=1e-9,
        passed=gap <= 1e-9,
        kind="identity",
    )


# --- the document -------------------------------------------------------------


def _num(x: float) -> str:
    if x == 0:
        return "0"
    return f"{x:.3g}" if 1e-3 <= abs(x) < 1e4 else f"{x:.2e}"


def _row(case: Case, c: Check) -> str:
    verdict = "pass" if c.passed else "**FAIL**"
    if c.kind == "identity":
        return (
            f"| {case.key} | {c.quantity} | 0 difference | max difference {_num(c.value)} h "
            f"| exact | {verdict} |"
        )
    if c.kind == "little":
        return (
            f"| {case.key} | {c.quantity} | L - λW = 0 | {_num(c.value)} "
            f"| ± {_num(c.high)} (edge bound) | {verdict} |"
        )
    return (
        f"| {case.key} | {c.quantity} | {_num(c.exact)} | {_num(c.value)} "
        f"[{_num(c.low)}, {_num(c.high)}] | ± {_num(c.half_width + c.allowance)} "
        f"| {verdict} |"
    )


def _onsite(case: Case) -> str:
    d = dict(case.onsite)
    kind = d.pop("dist")
    return kind + " " + ", ".join(f"{k} {v:g}" for k, v in d.items())


def markdown(
    suite: Sequence[Case],
    results: Sequence[Sequence[Check]],
    broken: Sequence[tuple[str, Case]],
    broken_results: Sequence[Sequence[Check]],
    long: bool,
) -> str:
    """The validation document: how the cases were run, every check, the broken runs."""
    command = COMMAND + (" --long" if long else "")
    ok = all(c.passed for rs in results for c in rs)
    caught = all(not all(c.passed for c in rs) for rs in broken_results)
    n_stat = sum(c.kind == "stat" for rs in results for c in rs)
    lines = [
        "# Validation against queueing theory",
        "",
        f"<!-- generated by `{command}`; do not edit by hand -->",
        "",
        f"Generated by `{command}` ({'long' if long else 'default'} mode; "
        "`--long` doubles the replications and quadruples each measured window). "
        f"**{'All checks pass.' if ok else 'SOME CHECKS FAIL.'}** "
        f"{'Every deliberately broken run is caught.' if caught else 'A BROKEN RUN PASSED.'}",
        "",
        "With one township, no travel or paperwork, reports the moment an incident "
        "starts and officers on duty around the clock, the enforcement side of the model "
        "is a textbook queue. Each case below is an ordinary scenario of that kind "
        "(`sim/validation/cases.py`), run through the same loader and model as any "
        "other, and compared with the exact stationary value "
        "(`sim/validation/theory.py`): Erlang C for single-officer teams, M/M/⌊c/2⌋ "
        "when every job needs two officers at once, Pollaczek-Khinchine for one "
        "officer with general on-site times.",
        "",
        "## How the tolerances are derived",
        "",
        "Every replication starts empty, drops a warm-up of at least five relaxation "
        "times τ (τ = (1 + c_s²)/2 / (cμ (1 − √ρ)²)) and measures over the window after "
        "it. The interval is the two-sided Student-t interval over the independent "
        f"replications at {checks.LEVEL:.1%}: over the {n_stat} interval checks, "
        f"Bonferroni puts the chance that any correct one fails by bad luck at most "
        f"{n_stat * (1 - checks.LEVEL):.1%} (less in fact: a case's checks move together). "
        "A check passes when |mean − exact| is within "
        "the half-width plus an allowance for the bias the interval cannot see: "
        "τ·e^(−w/τ)/T for the start from empty and (Lq + c)/(λT) for reports "
        "still waiting at the horizon (w warm-up, T measured window). The tolerance "
        "column is that sum. Little's law is checked in every replication, for "
        "reports waiting and for officers on site (the officers' own hour books), "
        "against the exact sample-path bound: only jobs straddling the window's "
        "ends can separate L from λW, each by at most the longest stay. Details "
        "in the docstring of `sim/validation/checks.py`.",
        "",
        "## Cases",
        "",
        "| Case | Queue | λ (/h) | Officers | Team | On site (h) | τ (h) | Warm-up (d) "
        "| Measured (d) | Replications | Allowance |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for case in suite:
        lines.append(
            f"| {case.key} | {case.title} | {case.arrivals_per_hour:g} | {case.officers} "
            f"| {case.team_size} | {_onsite(case)} | {case.tau_h:.0f} "
            f"| {case.warmup_days:g} | {case.measure_days:g} | {case.replications} "
            f"| {checks.allowance(case):.2%} |"
        )
    lines += [
        "",
        "## Results",
        "",
        f"| Case | Quantity | Exact | Simulated [{checks.LEVEL:.1%} interval] | Tolerance "
        "| Result |",
        "|---|---|---|---|---|---|",
    ]
    for case, rs in zip(suite, results, strict=True):
        lines += [_row(case, c) for c in rs]
    lines += [
        "",
        "## Deliberately broken runs (each must FAIL)",
        "",
        "The scenario is broken, the check still judges it against the intact case's "
        "theory and tolerances: this is what a modelling error of that kind would "
        "look like to the suite.",
        "",
        "| Broken how | Case | Replications x days | Checks failed | Caught |",
        "|---|---|---|---|---|",
    ]
    for (why, case), rs in zip(broken, broken_results, strict=True):
        failed = [c.quantity for c in rs if not c.passed]
        days = case.scenario(Path("x.csv"))["horizon_days"]
        lines.append(
            f"| {why} | {case.key} | {case.replications} x {days:g} "
            f"| {', '.join(failed) or 'none'} | {'yes' if failed else '**NO**'} |"
        )
    return "\n".join(lines) + "\n"


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def main(
    argv: list[str] | None = None, parser_class: type[argparse.ArgumentParser] | None = None
) -> int:
    """Run the suite, write the document; 0 if every check passes and every broken
    run is caught, 1 otherwise. ``parser_class``: the command line's, whose usage errors
    are one line."""
    parser = (parser_class or argparse.ArgumentParser)(
        prog="enforcement-sim validate-model",
        description="Validate the model against queueing theory and write docs/validation.md.",
    )
    parser.add_argument(
        "--long", action="store_true", help="longer runs and tighter tolerances (minutes)"
    )
    parser.add_argument(
        "-o",
        "--out",
        type=Path,
        default=default_out(),
        help="where to write the markdown (default: docs/validation.md of the checkout, "
        "or validation.md in the current folder when installed)",
    )
    parser.add_argument(
        "--workers", type=_workers, default=None, help="processes (default: all cores)"
    )
    args = parser.parse_args(argv)
    suite = cases(long=args.long)
    broken = broken_cases()
    everything = validate([*suite, *(c for _, c in broken)], args.workers)
    results, broken_results = everything[: len(suite)], everything[len(suite) :]
    keys = [c.key for c in suite]
    even, odd = keys.index("pairs-4"), keys.index("pairs-5")
    results[odd].append(odd_officer_check(suite[even], suite[odd]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown(suite, results, broken, broken_results, args.long))
    failed = [f"{c.case}: {c.quantity}" for rs in results for c in rs if not c.passed]
    missed = [why for (why, _), rs in zip(broken, broken_results, strict=True)
              if all(c.passed for c in rs)]  # fmt: skip
    for item in failed:
        print(f"FAIL {item}")
    for why in missed:
        print(f"NOT CAUGHT {why}")
    n = sum(len(r) for r in results)
    caught = len(broken) - len(missed)
    print(f"wrote {args.out}: {n} checks, {len(failed)} failed; {caught}/{len(broken)} caught")
    return 1 if failed or missed else 0
