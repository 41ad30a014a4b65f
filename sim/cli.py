"""The ``enforcement-sim`` command (also ``python -m sim``).

Bad input of any kind ends here as one line on stderr naming the file and the
field path, with exit status 2; the traceback is never shown.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import ScenarioError

DEFAULT_SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "default.yaml"

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


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2 like every other bad input."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


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
        "scenario",
        nargs="?",
        type=Path,
        default=DEFAULT_SCENARIO,
        help="scenario YAML (default: scenarios/default.yaml)",
    )
    run.add_argument("--seed", type=_seed, help="root seed (overrides the scenario's)")
    run.add_argument("--replications", type=_positive_int, help="number of replications")
    run.add_argument("--workers", type=_positive_int, default=1, help="processes to use")
    run.add_argument("--out", type=Path, help="results folder (default results/<name>/)")
    run.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override a field by dotted path, e.g. units.east_squadron.officers=4",
    )
    run.add_argument("--quiet", action="store_true", help="print only the results folder")

    val = sub.add_parser("validate", help="check scenario files without running them")
    val.add_argument("scenarios", nargs="+", type=Path)
    val.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE")

    lay = sub.add_parser(
        "layout", help="print the units a scenario resolves to (generated ones included) as YAML"
    )
    lay.add_argument("scenario", type=Path)
    lay.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE")

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
        if args.command == "run":
            return _run(args)
        if args.command == "validate":
            return _validate(args)
        if args.command == "schema":
            return _schema(args)
        if args.command == "layout":
            return _layout(args)
        build_parser().print_help()
        return 2
    except ScenarioError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from .experiment import run
    from .scenario import load_scenario

    loaded = load_scenario(args.scenario, overrides=args.overrides)
    out = args.out or Path("results") / loaded.scenario.name
    try:
        results = run(
            loaded,
            seed=args.seed,
            replications=args.replications,
            workers=args.workers,
            out=out,
            overrides=args.overrides,
        )
    except OSError as err:
        raise ScenarioError("--out", f"cannot write results to {out} ({err.strerror})") from None
    if not args.quiet:
        print(_summary_table(results, loaded.scenario.name))
    print(f"results written to {out}/")
    return 0


def _summary_table(results, name: str) -> str:
    head = results.headline()
    m = results.manifest
    lines = [
        f"{name}: {m['replications']} replication(s), seed {m['seed']}, {m['wall_time_s']:.2f} s",
        f"{'indicator':<38}{'mean':>10}  95% CI",
    ]
    for key, label, fmt in HEADLINE:
        v = head.get(key, {})
        mean = v.get("mean")
        lo, hi = v.get("ci95_low"), v.get("ci95_high")
        text = "n/a" if mean is None else fmt.format(mean)
        ci = "" if lo is None or hi is None else f"[{fmt.format(lo)}, {fmt.format(hi)}]"
        lines.append(f"{label:<38}{text:>10}  {ci}")
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


def _schema(args: argparse.Namespace) -> int:
    from .scenario.reference import json_schema, markdown_reference

    if args.markdown:
        print(markdown_reference())
    else:
        print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
