"""The ``enforcement-sim`` command (also ``python -m sim``).

Bad input of any kind ends here as one line on stderr naming the file and the
field path, with exit status 2; the traceback is never shown. An experiment in
which some runs failed still writes what finished and exits with status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .app.launch import DEFAULT_ADDRESS, DEFAULT_PORT
from .errors import ScenarioError
from .experiment.options import OPTION_NAMES, RULES, RunOptions
from .registry import DEPLOYMENT_MODELS


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
_positive_float = _number(float, lambda v: 0 < v < float("inf"), "a positive number")


def _option(name: str):
    """An argparse type for a run option: the rule ``RunOptions`` itself checks."""
    return _number(*RULES[name])


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2 like every other bad input."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


FORCE_CHECK_HELP = "accept sizes above the runaway limits (officers, townships, horizon...)"


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seed", type=_option("seed"), help="root seed (overrides the scenario's)")
    p.add_argument("--replications", type=_option("replications"), help="replications per variant")
    p.add_argument("--out", type=Path, help="results folder (default results/<name>/)")
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="write into --out even when it holds files that are not enforcement-sim results",
    )
    p.add_argument(
        "--jobs", type=_option("jobs"), help="worker processes (default: the machine's cores)"
    )
    p.add_argument(
        "--partitions",
        type=_option("partitions"),
        metavar="N",
        help="cut each replication into N batches of counties run apart, bit-identical "
        "to one run (default: one batch per 1,500 townships)",
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
        type=_option("max_run_seconds"),
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
        "scenario", nargs="?", type=Path, help="scenario YAML (default: the bundled default.yaml)"
    )
    _common(run)
    run.add_argument(
        "--precision",
        type=_option("precision"),
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
        "(default: the bundled jinhua/deployment_models.yaml)",
    )
    _common(cmp)
    cmp.add_argument("--precision", type=_option("precision"), help="as for run, for every variant")
    cmp.add_argument("--no-report", dest="report", action="store_false", help="skip report.html")

    swp = sub.add_parser("sweep", help="run a parameter sweep (grid or Latin hypercube)")
    swp.add_argument("plan", type=Path, help="sweep file")
    _common(swp)
    swp.add_argument(
        "--keep-records", action="store_true", help="also merge every run's record tables"
    )
    swp.add_argument("--no-report", dest="report", action="store_false", help="skip report.html")

    sen = sub.add_parser(
        "sensitivity",
        help="which uncertain inputs matter (Morris or Sobol', SALib) and, with a compare file "
        "as base, which variant stays best",
    )
    sen.add_argument("study", type=Path, help="study file (base, inputs, outputs, design)")
    _common(sen)
    sen.add_argument("--no-report", dest="report", action="store_false", help="skip report.html")

    cal = sub.add_parser(
        "calibrate",
        help="fit uncertain inputs to published figures (history matching) and write the "
        "scenario at the best point",
    )
    cal.add_argument("calibration", type=Path, help="calibration file (base, inputs, targets)")
    _common(cal)
    cal.add_argument("--no-figure", dest="figure", action="store_false", help="skip the figures")

    stf = sub.add_parser(
        "staff",
        help="fewest officers per county to meet a target, and where a fixed total does most good",
    )
    stf.add_argument(
        "scenario", nargs="?", type=Path,
        help="scenario YAML (default: the bundled jinhua/baseline.yaml)",
    )  # fmt: skip
    stf.add_argument(
        "--target",
        dest="targets",
        action="append",
        metavar="TARGET",
        help="STAT(QUANTITY | FILTER, ...) <= NUMBER; repeat for several, all must hold "
        "(default, with no --targets file: majors p90 <= 4 h, all reports p90 <= 48 working "
        "h, >= 95%% of planned inspections done, overtime <= 432 h per officer-year)",
    )
    stf.add_argument(
        "--targets",
        dest="targets_file",
        type=Path,
        metavar="FILE",
        help="YAML file of targets (targets: [...]), all must hold; with --target, both",
    )
    stf.add_argument(
        "--model",
        dest="models",
        action="append",
        choices=DEPLOYMENT_MODELS.names(),
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

    plc = sub.add_parser(
        "place", help="where one county's officers should sit: local search from the generated "
        "layout, moves screened by the hypercube and judged on common random numbers",
    )  # fmt: skip
    plc.add_argument("scenario", type=Path, help="scenario YAML")
    plc.add_argument("--county", required=True, help="county to place")
    plc.add_argument("--officers", required=True, type=_positive_int, help="head count")
    plc.add_argument("--model", required=True, choices=DEPLOYMENT_MODELS.names())
    plc.add_argument("--target", dest="targets", action="append", metavar="TARGET",
                     help="as for staff; the first one's statistic is minimised, all are "
                     "judged (default: mean(response_h) <= 24, then staff's default "
                     "bundle)")  # fmt: skip
    plc.add_argument("--replications", type=_option("replications"), help="replications per layout")
    plc.add_argument("--seed", type=_option("seed"), help="root seed (overrides the scenario's)")
    plc.add_argument("--top", type=_positive_int, default=3, help="moves simulated per round")
    plc.add_argument("--out", type=Path, help="results folder (default results/<name>-place/)")
    plc.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE")
    plc.add_argument("--quiet", action="store_true", help="print only where files went")

    frt = sub.add_parser(
        "frontier",
        help="cost-response frontier: every mix of levers in a frontier file, costed and "
        "judged against its targets",
    )
    frt.add_argument("plan", type=Path, help="frontier file (base, levers, targets)")
    _common(frt)
    frt.add_argument(
        "--no-report", dest="report", action="store_false", help="skip the reports and figure"
    )

    rep = sub.add_parser(
        "report", help="write RESULTS_DIR/report.html and its figures (PNG and SVG)"
    )
    rep.add_argument("results_dir", type=Path)
    rep.add_argument(
        "--target-hours", type=_positive_float, default=4.0, help="response target (h)"
    )
    rep.add_argument(
        "--pdf",
        action="store_true",
        help="also print the report to report.pdf beside it, through headless Chromium",
    )
    rep.add_argument(
        "--lang",
        choices=("en", "zh"),
        default="en",
        help="language of a run, compare or sweep report: zh writes report.zh.html with "
        "Chinese labels and place names (needs a font with Chinese characters)",
    )

    val = sub.add_parser(
        "validate",
        help="check scenario, compare, sweep and study files (every variant) without running them",
    )
    val.add_argument("scenarios", nargs="+", type=Path)
    val.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE")
    val.add_argument("--force", action="store_true", help=FORCE_CHECK_HELP)

    exs = sub.add_parser(
        "examples",
        help="copy the bundled scenarios and region data into DIR, to edit and run",
    )
    exs.add_argument("dir", type=Path, help="folder to copy into (created if missing)")
    exs.add_argument("--force", action="store_true", help="replace files already there")

    ini = sub.add_parser(
        "init", help="write a starter scenario folder for any prefecture, county or province "
        "of China, or the whole country (Jinhua's defaults marked for replacement)",
    )  # fmt: skip
    where = ini.add_mutually_exclusive_group(required=True)
    where.add_argument("--city", help="6-digit code, Chinese name or pinyin: 330700, 金华, Jinhua")
    where.add_argument(
        "--province", help="a province by code, Chinese name or pinyin: 330000, 浙江, Zhejiang"
    )
    where.add_argument(
        "--country",
        action="store_true",
        help="every county of mainland China (scenarios/china/; its README says what runs today)",
    )
    ini.add_argument("--county", dest="counties", action="append", metavar="COUNTY",
                     help="only this county of the area (code, Chinese or pinyin)")  # fmt: skip
    ini.add_argument("--officers-per-township", type=_positive_float, default=0.66, metavar="X",
                     help="county head count: round(this x townships), at least 2")  # fmt: skip
    ini.add_argument("--model", choices=DEPLOYMENT_MODELS.names(), default="squadron",
                     help="deployment model of every county's generated units")  # fmt: skip
    ini.add_argument("--out", type=Path, help="folder to write (default scenarios/<name>/)")
    ini.add_argument("--force", action="store_true", help="replace the files of an existing folder")

    lay = sub.add_parser(
        "layout", help="print the units a scenario resolves to (generated ones included) as YAML"
    )
    lay.add_argument("scenario", type=Path)
    lay.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE")
    lay.add_argument("--force", action="store_true", help=FORCE_CHECK_HELP)

    vm = sub.add_parser(
        "validate-model",
        add_help=False,
        help="check the model against queueing theory; writes docs/validation.md (--long, -o)",
    )
    vm.add_argument("rest", nargs=argparse.REMAINDER)

    app = sub.add_parser(
        "app",
        help="serve the scenario explorer in a web browser (needs the [app] extra: Streamlit)",
    )
    app.add_argument(
        "--port", type=_number(int, lambda v: 1 <= v <= 65535, "1 to 65535"),
        default=DEFAULT_PORT, help=f"port to serve on (default {DEFAULT_PORT})",
    )  # fmt: skip
    app.add_argument(
        "--address", default=DEFAULT_ADDRESS,
        help=f"address to serve on (default {DEFAULT_ADDRESS}: this machine only; 0.0.0.0 "
        "for every network the machine is on)",
    )  # fmt: skip

    schema = sub.add_parser("schema", help="print the scenario JSON Schema")
    schema.add_argument(
        "--markdown",
        action="store_true",
        help="print the field reference (docs/reference/scenario.md) instead",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    command_line = argv is None  # the command itself, not a call from Python
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["validate-model"]:  # its own parser reads the rest, --help too
            return _validate_model(argv[1:])
        args = build_parser().parse_args(argv)
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
            "report": _report,
            "staff": _staff,
            "frontier": _frontier,
            "place": _place,
            "sensitivity": _sensitivity,
            "calibrate": _calibrate,
            "examples": _examples,
            "init": _init,
            "app": _app,
        }.get(args.command)
        if command is None:
            build_parser().print_help()
            return 2
        return command(args)
    except ScenarioError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: finished runs are stored; the same command resumes
        print("interrupted (rerun the same command to resume)", file=sys.stderr)
        if command_line:  # the command itself: leave now, not after interpreter clean-up,
            # whose join of a process pool's manager thread can hang on a pipe its killed
            # workers never drained (seen twice in CI: the process outlived Ctrl-C by 30 s)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(130)
        return 130
    except OSError as err:  # a folder or file the system will not let us use
        if err.filename is None:
            raise
        print(f"error: {err.filename}: {err.strerror or err}", file=sys.stderr)
        return 2


def _run_options(args: argparse.Namespace, out: Path) -> RunOptions:
    """The run options, once, from the flags: a flag's ``dest`` is its option's name, so a
    new option needs only its flag here. A verb without a flag keeps the option's default;
    ``--jobs`` left out is None (every core), where the API's default is one."""
    given = {name: getattr(args, name) for name in OPTION_NAMES if hasattr(args, name)}
    return RunOptions(**given | {"out": out})


def _writable(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ScenarioError("--out", f"cannot write results to {out} ({err.strerror})") from None


def _run(args: argparse.Namespace) -> int:
    from .examples import DEFAULT_SCENARIO, bundled
    from .experiment import run
    from .scenario import load_scenario

    loaded = load_scenario(args.scenario or bundled(DEFAULT_SCENARIO), overrides=args.overrides)
    out = args.out or Path("results") / loaded.scenario.name
    _writable(out)
    results = run(loaded, _run_options(args, out))
    if not args.quiet:
        from .report.terminal import summary_table

        print(summary_table(results))
    return _finish(results, out)


def _compare(args: argparse.Namespace) -> int:
    from .examples import DEFAULT_COMPARE, bundled
    from .experiment import compare
    from .experiment.runner import default_name

    paths = args.scenarios or [bundled(DEFAULT_COMPARE)]
    out = args.out or Path("results") / default_name(paths, "compare")
    _writable(out)
    results = compare(paths, _run_options(args, out))
    if not args.quiet:
        from .report.terminal import compare_table

        print(compare_table(results))
    return _finish(results, out, report=args.report)


def _sweep(args: argparse.Namespace) -> int:
    from .experiment import sweep
    from .experiment.runner import default_name

    out = args.out or Path("results") / default_name([args.plan], "sweep")
    _writable(out)
    results = sweep(args.plan, _run_options(args, out))
    if not args.quiet:
        m = results.manifest
        print(
            f"{len(results.variants)} points x {m['replications']} replications, "
            f"{m['wall_time_s']:.1f} s; a row per point and replication in sweep.parquet"
        )
    return _finish(results, out, report=args.report)


def _sensitivity(args: argparse.Namespace) -> int:
    from .experiment.runner import default_name
    from .sensitivity.cli import run_study

    out = args.out or Path("results") / default_name([args.study], "sensitivity")
    _writable(out)
    return run_study(args.study, _run_options(args, out), report=args.report)


def _calibrate(args: argparse.Namespace) -> int:
    from .calibration.cli import run_calibration
    from .experiment.runner import default_name

    out = args.out or Path("results") / default_name([args.calibration], "calibration")
    _writable(out)
    return run_calibration(args.calibration, _run_options(args, out), figure=args.figure)


def _staff(args: argparse.Namespace) -> int:
    from .examples import DEFAULT_STAFF, bundled
    from .scenario import load_scenario
    from .staffing import staff

    loaded = load_scenario(args.scenario or bundled(DEFAULT_STAFF), overrides=args.overrides)
    out = args.out or Path("results") / f"{loaded.scenario.name}-staffing"
    _writable(out)
    options = _run_options(args, out)
    result = staff(loaded, args.targets, options, targets_file=args.targets_file,
                   models=args.models, max_officers=args.max_officers, total=args.total,
                   allocation=args.allocation)  # fmt: skip
    if not args.quiet:
        from .report.terminal import staffing_table

        print(staffing_table(result))
    failures = result.manifest["failures"]
    if failures:
        print(f"{len(failures)} run(s) failed (tracebacks in {out}/manifest.json); "
              "rerun the same command to retry them", file=sys.stderr)  # fmt: skip
    print(f"results written to {out}/")
    if args.report and not failures:
        from .report import write_staffing_report

        print(f"report written to {write_staffing_report(out, result)}")
    return 1 if failures else 0


def _frontier(args: argparse.Namespace) -> int:
    from .experiment.runner import default_name
    from .frontier.cli import run_frontier

    out = args.out or Path("results") / default_name([args.plan], "frontier")
    _writable(out)
    return run_frontier(args.plan, _run_options(args, out), report=args.report)


def _place(args: argparse.Namespace) -> int:
    from .scenario import load_scenario
    from .staffing.place import place
    from .staffing.place_output import placement_text, write_placement

    loaded = load_scenario(args.scenario, overrides=args.overrides)
    out = args.out or Path("results") / f"{loaded.scenario.name}-place"
    result = place(loaded, args.county, args.officers, args.model, args.targets,
                   replications=args.replications, seed=args.seed, top=args.top)  # fmt: skip
    write_placement(result, out)
    if not args.quiet:
        print(placement_text(result))
    print(f"results written to {out}/")
    return 0


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
    from .experiment.folder import reading_folder
    from .frontier.report import is_frontier_folder, write_frontier_report
    from .report import write_report, write_staffing_report
    from .report.placement_html import is_placement_folder, write_placement_report
    from .sensitivity.results import is_sensitivity_folder
    from .staffing.results import is_staffing_folder

    if args.pdf:  # before the report is built: no browser is one line, not a wasted minute
        from .report.browser import find_chromium, print_pdf

        find_chromium()
    with reading_folder(args.results_dir):  # a run into the folder waits, or is waited for
        if is_staffing_folder(args.results_dir):
            written = write_staffing_report(args.results_dir)
        elif is_sensitivity_folder(args.results_dir):
            from .sensitivity.report import write_sensitivity_report

            written = write_sensitivity_report(args.results_dir)
        elif is_frontier_folder(args.results_dir):
            written = write_frontier_report(args.results_dir)
        elif is_placement_folder(args.results_dir):
            written = write_placement_report(args.results_dir)
        else:
            written = write_report(args.results_dir, target_hours=args.target_hours, lang=args.lang)
        if args.lang != "en" and written.name == "report.html" and _english_only(args.results_dir):
            print(f"note: this report is written in English only (--lang {args.lang} ignored)")
        print(f"report written to {written}")
        if args.pdf:
            print(f"PDF written to {print_pdf(written, written.with_suffix('.pdf'))}")
    return 0


def _english_only(folder: Path) -> bool:
    """Staffing, study, frontier and placement reports have no Chinese version yet."""
    from .frontier.report import is_frontier_folder
    from .report.placement_html import is_placement_folder
    from .sensitivity.results import is_sensitivity_folder
    from .staffing.results import is_staffing_folder

    checks = (is_staffing_folder, is_sensitivity_folder, is_frontier_folder, is_placement_folder)
    return any(check(folder) for check in checks)


def _validate(args: argparse.Namespace) -> int:
    from .calibration.plan import is_calibration_file
    from .experiment.runner import check_file
    from .frontier.plan import is_frontier_file
    from .sensitivity.study import is_study_file

    for path in args.scenarios:
        if is_calibration_file(path):  # every target checked, as `calibrate` would
            from .calibration.run import check_calibration

            print(f"{path}: ok ({check_calibration(path, args.overrides, args.force)} points)")
            continue
        if is_frontier_file(path):  # a frontier: every point, the base's costs, the targets
            from .frontier.plan import check_frontier

            print(f"{path}: ok ({check_frontier(path, args.overrides, args.force)} points)")
            continue
        if is_study_file(path):  # a study: its base, outputs, and every input at both ends
            from .sensitivity.points import check_study

            print(f"{path}: ok ({check_study(path, args.overrides, args.force)})")
            continue
        n = check_file(path, args.overrides, args.force)
        print(f"{path}: ok" + (f" ({n} variants)" if n > 1 else ""))
    return 0


def _examples(args: argparse.Namespace) -> int:
    from .examples import copy_examples

    written = copy_examples(args.dir, force=args.force)
    print(f"{len(written)} files copied to {args.dir}/ (try: enforcement-sim validate "
          f"{args.dir / 'default.yaml'})")  # fmt: skip
    return 0


def _init(args: argparse.Namespace) -> int:
    from .china.init import LISTED, init_area

    done = init_area(city=args.city, province=args.province, country=args.country,
                     counties=args.counties, model=args.model, out=args.out,
                     officers_per_township=args.officers_per_township,
                     force=args.force)  # fmt: skip
    placed = done.region.placed
    if placed:
        more = f" … and {len(placed) - LISTED} more" if len(placed) > LISTED else ""
        print(f"warning: {len(placed)} unit(s) have no point in the source and sit at a "
              f"centroid (note column): {', '.join(placed[:LISTED])}{more}",
              file=sys.stderr)  # fmt: skip
    rows = len(done.region.rows)
    print(f"{rows} townships in {done.counties} counties written to {done.folder}/ (try: "
          f"enforcement-sim run {done.folder / 'scenario.yaml'})")  # fmt: skip
    return 0


def _app(args: argparse.Namespace) -> int:
    from .app.launch import launch

    return launch(port=args.port, address=args.address)


def _layout(args: argparse.Namespace) -> int:
    from .experiment.folder import dump_yaml
    from .experiment.guards import checked_world
    from .scenario import load_scenario
    from .world import units_as_yaml

    loaded = load_scenario(args.scenario, overrides=args.overrides)
    world = checked_world(loaded, args.force, size=False)
    print(dump_yaml({"units": units_as_yaml(world)}))
    return 0


def _validate_model(rest: list[str]) -> int:
    from .validation import main as validate_model

    return validate_model(rest, parser_class=_Parser)


def _schema(args: argparse.Namespace) -> int:
    from .scenario.reference import json_schema, markdown_reference

    if args.markdown:
        print(markdown_reference())
    else:
        print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
