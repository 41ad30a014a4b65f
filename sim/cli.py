"""The ``enforcement-sim`` command (also ``python -m sim``).

Bad input of any kind ends here as one line on stderr naming the file and the
field path, with exit status 2; the traceback is never shown. An experiment in
which some runs failed still writes what finished and exits with status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import ScenarioError
from .world.layouts import MODELS

HEADLINE = (
    ("incidents", "incidents (after warm-up)", "{:.0f}"),
    ("share_undiscovered", "share never discovered", "{:.1%}"),
    ("discovery_delay_h_mean", "discovery delay, mean (h)", "{:.1f}"),
    ("response_h_mean", "response report->on site, mean (h)", "{:.1f}"),
    ("response_h_median", "response, median (h)", "{:.1f}"),
    ("response_h_p90", "response, p90 (h)", "{:.1f}"),
    ("response_working_h_mean", "response in working hours, mean (h)", "{:.1f}"),
    ("team_wait_h_mean", "wait for a legal team, mean (h)", "{:.1f}"),
    ("two_person_compliance", "two-person compliance", "{:.1%}"),
    ("share_waited_for_partner", "reports left waiting for a partner", "{:.1%}"),
    ("share_borrowed", "teams with borrowed officers", "{:.1%}"),
    ("share_unserved", "reports unserved at horizon", "{:.1%}"),
    ("pollution_hours_mean", "pollution-hours per incident", "{:.1f}"),
    ("utilisation_mean", "officer utilisation, mean", "{:.1%}"),
    ("utilisation_cv", "utilisation spread (CV)", "{:.2f}"),
    ("travel_share", "travel share of working time", "{:.1%}"),
    ("inspection_share_of_duty", "duty time on planned inspections", "{:.1%}"),
    ("diverted_share_of_duty", "duty time on diverted work", "{:.1%}"),
)


def _number(kind: type, ok, rule: str):
    """An argparse type: parse as ``kind`` and require ``ok(value)``, else one clear line."""
    noun = "a whole number" if kind is int else "a number"

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {noun}, got {text!r}") from None
        if not ok(value):
            raise argparse.ArgumentTypeError(f"must be {rule}, got {value}")
        return value

    return parse


_positive_int = _number(int, lambda v: v >= 1, "at least 1")
_seed = _number(int, lambda v: v >= 0, ">= 0")
_positive_float = _number(float, lambda v: 0 < v < float("inf"), "a positive number")
_fraction = _number(float, lambda v: 0 < v < 1, "between 0 and 1")


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2 like every other bad input."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


DEFAULT_TARGET = "p90(response_h | severity=major) <= 4"


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seed", type=_seed, help="root seed (overrides the scenario's)")
    p.add_argument("--replications", type=_positive_int, help="replications per variant")
    p.add_argument("--out", type=Path, help="results folder (default results/<name>/)")
    p.add_argument(
        "--jobs", type=_positive_int, help="worker processes (default: the machine's cores)"
    )
    p.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run on Dask: 'local' starts a LocalCluster, or tcp://host:port of a scheduler",
    )
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override a field by dotted path, e.g. units.east_squadron.officers=4",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar or table")
    p.add_argument(
        "--force",
        action="store_true",
        help="run even when the estimated size of a replication is above the limits",
    )
    p.add_argument(
        "--max-run-seconds",
        type=_positive_float,
        metavar="S",
        help="stop any replication that runs longer than S seconds (recorded as failed)",
    )
    p.add_argument(
        "--no-audit",
        dest="audit",
        action="store_false",
        help="skip the check of every run's records against the model's invariants",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="enforcement-sim",
        description="Simulate how environmental-enforcement officers are deployed and how fast "
        "a legal team reaches pollution incidents.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    run = sub.add_parser("run", help="run a scenario and write its results folder")
    run.add_argument(
        "scenario", nargs="?", type=Path, help="scenario YAML (default: scenarios/default.yaml)"
    )
    _common(run)
    run.add_argument(
        "--precision",
        type=_fraction,
        help="add replications until the 95%% interval of the mean response is within "
        "this share of the mean (e.g. 0.05)",
    )

    cmp = sub.add_parser(
        "compare", help="compare variants on the same random numbers (default: the models)"
    )
    cmp.add_argument(
        "scenarios",
        nargs="*",
        type=Path,
        help="scenario files, or one compare file "
        "(default: scenarios/jinhua/deployment_models.yaml)",
    )
    _common(cmp)
    cmp.add_argument("--precision", type=_fraction, help="as for run, for every variant")
    cmp.add_argument("--no-report", dest="report", action="store_false", help="skip report.html")

    swp = sub.add_parser("sweep", help="run a parameter sweep (grid or Latin hypercube)")
    swp.add_argument("plan", type=Path, help="sweep file")
    _common(swp)
    swp.add_argument(
        "--keep-records", action="store_true", help="also merge every run's record tables"
    )
    swp.add_argument("--no-report", dest="report", action="store_false", help="skip report.html")

    stf = sub.add_parser(
        "staff",
        help="fewest officers per county to meet a target, and where a fixed total does most good",
    )
    stf.add_argument(
        "scenario", nargs="?", type=Path,
        help="scenario YAML (default: scenarios/jinhua/baseline.yaml)",
    )  # fmt: skip
    stf.add_argument(
        "--target",
        default=DEFAULT_TARGET,
        help=f"STAT(QUANTITY | FILTER, ...) <= NUMBER (default: {DEFAULT_TARGET!r})",
    )
    stf.add_argument(
        "--model",
        dest="models",
        action="append",
        choices=MODELS,
        help="deployment model to search under; repeat for several (default: all four)",
    )
    stf.add_argument(
        "--max-officers", type=_positive_int, default=60, help="largest head count tried per county"
    )
    stf.add_argument(
        "--total",
        type=_positive_int,
        help="city-wide officers to allocate so the worst county is best "
        "(default: the scenario's own total)",
    )
    stf.add_argument(
        "--no-allocation", dest="allocation", action="store_false", help="skip the allocation"
    )
    _common(stf)
    stf.add_argument("--no-report", dest="report", action="store_false", help="skip report.html")

    rep = sub.add_parser(
        "report", help="write RESULTS_DIR/report.html and its figures (PNG and SVG)"
    )
    rep.add_argument("results_dir", type=Path)
    rep.add_argument(
        "--target-hours", type=_positive_float, default=4.0, help="response target (h)"
    )

    val = sub.add_parser("validate", help="check scenario files without running them")
    val.add_argument("scenarios", nargs="+", type=Path)
    val.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE")

    lay = sub.add_parser(
        "layout", help="print the units a scenario resolves to (generated ones included) as YAML"
    )
    lay.add_argument("scenario", type=Path)
    lay.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE")

    vm = sub.add_parser(
        "validate-model",
        add_help=False,
        help="check the model against queueing theory; writes docs/validation.md (--long, -o)",
    )
    vm.add_argument("rest", nargs=argparse.REMAINDER)

    schema = sub.add_parser("schema", help="print the scenario JSON Schema")
    schema.add_argument(
        "--markdown", action="store_true", help="print the README's field reference instead"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.version:
            from . import __version__

            print(__version__)
            return 0
        command = {
            "run": _run,
            "compare": _compare,
            "sweep": _sweep,
            "validate": _validate,
            "layout": _layout,
            "schema": _schema,
            "validate-model": _validate_model,
            "report": _report,
            "staff": _staff,
        }.get(args.command)
        if command is None:
            build_parser().print_help()
            return 2
        return command(args)
    except ScenarioError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


def _options(args: argparse.Namespace, out: Path) -> dict:
    return {
        "seed": args.seed,
        "replications": args.replications,
        "overrides": args.overrides,
        "jobs": args.jobs,
        "dask": args.dask,
        "out": out,
        "quiet": args.quiet,
        "audit": args.audit,
        "force": args.force,
        "max_run_seconds": args.max_run_seconds,
    }


def _writable(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ScenarioError("--out", f"cannot write results to {out} ({err.strerror})") from None


def _run(args: argparse.Namespace) -> int:
    from .experiment import run
    from .experiment.runner import DEFAULT_SCENARIO
    from .scenario import load_scenario

    loaded = load_scenario(args.scenario or DEFAULT_SCENARIO, overrides=args.overrides)
    out = args.out or Path("results") / loaded.scenario.name
    _writable(out)
    results = run(loaded, **{**_options(args, out), "overrides": ()}, precision=args.precision)
    if not args.quiet:
        print(_summary_table(results))
    return _finish(results, out)


def _compare(args: argparse.Namespace) -> int:
    from .experiment import compare
    from .experiment.runner import DEFAULT_COMPARE, default_name

    paths = args.scenarios or [DEFAULT_COMPARE]
    out = args.out or Path("results") / default_name(paths, "compare")
    _writable(out)
    results = compare(paths, **_options(args, out), precision=args.precision)
    if not args.quiet:
        print(_compare_table(results))
    return _finish(results, out, report=args.report)


def _sweep(args: argparse.Namespace) -> int:
    from .experiment import sweep
    from .experiment.runner import default_name

    out = args.out or Path("results") / default_name([args.plan], "sweep")
    _writable(out)
    results = sweep(args.plan, **_options(args, out), keep_records=args.keep_records)
    if not args.quiet:
        m = results.manifest
        print(
            f"{len(results.variants)} points x {m['replications']} replications, "
            f"{m['wall_time_s']:.1f} s; a row per point and replication in sweep.parquet"
        )
    return _finish(results, out, report=args.report)


def _staff(args: argparse.Namespace) -> int:
    from .experiment.runner import ROOT
    from .scenario import load_scenario
    from .staffing import staff

    loaded = load_scenario(
        args.scenario or ROOT / "scenarios" / "jinhua" / "baseline.yaml", overrides=args.overrides
    )
    out = args.out or Path("results") / f"{loaded.scenario.name}-staffing"
    _writable(out)
    result = staff(
        loaded, args.target, models=args.models, max_officers=args.max_officers,
        total=args.total, allocation=args.allocation,
        **{**_options(args, out), "overrides": ()},
    )  # fmt: skip
    if not args.quiet:
        print(_staffing_table(result))
    failures = result.manifest["failures"]
    if failures:
        print(f"{len(failures)} run(s) failed (tracebacks in {out}/manifest.json); "
              "rerun the same command to retry them", file=sys.stderr)  # fmt: skip
    print(f"results written to {out}/")
    if args.report and not failures:
        from .report import write_staffing_report

        print(f"report written to {write_staffing_report(out, result)}")
    return 1 if failures else 0


def _staffing_table(result) -> str:
    import pandas as pd

    m = result.manifest
    lines = [
        f"target: {result.target} at the upper end of a 95% interval; "
        f"{m['replications']} replications, seed {m['seed']}, {m['wall_time_s']:.1f} s "
        f"({m['runs']} runs, {m['runs_reused']} reused)",
        f"{'model':<11}{'county':<14}{'now':>5}{'needed':>8}  estimate [95% CI] at needed",
    ]
    for r in result.table.itertuples():
        need = "-" if r.status != "met" else str(r.officers_needed)
        est = (
            f"{r.estimate:.2f} [{r.ci95_low:.2f}, {r.ci95_high:.2f}]"
            if r.estimate == r.estimate
            else ""
        )
        note = "" if r.status == "met" else f"  {r.status}"
        lines.append(f"{r.model:<11}{r.county:<14}{r.officers_now:>5}{need:>8}  {est}{note}")
    for r in result.totals.itertuples():
        need = "not reachable" if pd.isna(r.officers_needed) else str(r.officers_needed)
        lines.append(f"{r.model:<11}{'city total':<14}{r.officers_now:>5}{need:>8}")
    alloc = result.allocation
    for model, rows in alloc.groupby("model", sort=False) if len(alloc) else []:
        chosen = rows[rows["chosen"]]
        if chosen.empty:
            continue
        r = chosen.iloc[0]
        spare = f", {int(r['spare'])} spare" if r["spare"] else ""
        lines.append(
            f"allocation ({model}, {m['allocation_total']} officers): worst county "
            f"{r['worst_county']} at {r['worst_ci95_high']:.2f} (upper bound){spare}; "
            f"{len(rows)} frontier points in allocation.csv"
        )
    return "\n".join(lines)


def _finish(results, out: Path, report: bool = False) -> int:
    failures = results.manifest["failures"]
    if failures:
        print(
            f"{len(failures)} run(s) failed (tracebacks in {out}/manifest.json); "
            "rerun the same command to retry them",
            file=sys.stderr,
        )
    print(f"results written to {out}/")
    if report and len(results.summary):
        from .report import write_report

        print(f"report written to {write_report(out, results=results)}")
    return 1 if failures else 0


def _report(args: argparse.Namespace) -> int:
    from .report import write_report, write_staffing_report
    from .staffing.results import is_staffing_folder

    if is_staffing_folder(args.results_dir):
        print(f"report written to {write_staffing_report(args.results_dir)}")
        return 0
    print(f"report written to {write_report(args.results_dir, target_hours=args.target_hours)}")
    return 0


def _fmt(fmt: str, v: dict) -> str:
    mean, lo, hi = v.get("mean"), v.get("ci95_low"), v.get("ci95_high")
    text = "n/a" if mean is None else fmt.format(mean)
    ci = "" if lo is None or hi is None else f" [{fmt.format(lo)}, {fmt.format(hi)}]"
    return text + ci


def _summary_table(results) -> str:
    m = results.manifest
    head = results.headline()
    lines = [
        f"{results.variants[0]}: {m['replications']} replication(s), seed {m['seed']}, "
        f"{m['wall_time_s']:.2f} s",
        f"{'indicator':<38}{'mean [95% CI]'}",
    ]
    for key, label, fmt in HEADLINE:
        lines.append(f"{label:<38}{_fmt(fmt, head.get(key, {}))}")
    return "\n".join(lines)


def _compare_table(results) -> str:
    """Rows = indicators; per variant its mean and, after the first, the paired difference."""
    m = results.manifest
    names = results.variants
    diffs = results.differences
    cells = [["indicator", *names]]
    for key, label, fmt in HEADLINE:
        row = [label]
        for k, name in enumerate(names):
            text = _fmt(fmt, results.headline(name).get(key, {})).split(" [")[0]
            if k and len(diffs):
                d = diffs[(diffs["variant"] == name) & (diffs["scope"] == "all")
                          & (diffs["indicator"] == key)]  # fmt: skip
                if len(d):
                    lo, hi = d["diff_ci95_low"].item(), d["diff_ci95_high"].item()
                    sig = "*" if lo > 0 or hi < 0 else ""
                    text += f" ({fmt.format(d['diff_mean'].item())}{sig})" if lo == lo else ""
            row.append(text)
        cells.append(row)
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    lines = [
        f"{len(names)} variants x {m['replications']} replications on common random numbers, "
        f"seed {m['seed']}, {m['wall_time_s']:.1f} s",
        f"(in brackets: paired difference from {names[0]}; * = its 95% interval excludes 0)",
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(lines)


def _validate(args: argparse.Namespace) -> int:
    from .scenario import load_scenario
    from .world import build_world

    for path in args.scenarios:
        loaded = load_scenario(path, overrides=args.overrides)
        try:
            build_world(loaded)
        except ScenarioError as err:
            raise loaded.locate(err) from None
        print(f"{path}: ok")
    return 0


def _layout(args: argparse.Namespace) -> int:
    import yaml

    from .scenario import load_scenario
    from .world import build_world, units_as_yaml

    loaded = load_scenario(args.scenario, overrides=args.overrides)
    try:
        world = build_world(loaded)
    except ScenarioError as err:
        raise loaded.locate(err) from None
    print(yaml.safe_dump({"units": units_as_yaml(world)}, sort_keys=False, allow_unicode=True))
    return 0


def _validate_model(args: argparse.Namespace) -> int:
    from .validation import main as validate_model

    return validate_model(args.rest)


def _schema(args: argparse.Namespace) -> int:
    from .scenario.reference import json_schema, markdown_reference

    if args.markdown:
        print(markdown_reference())
    else:
        print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
