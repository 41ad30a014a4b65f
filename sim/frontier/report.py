"""A frontier's reports: ``report.html``, ``frontier.md`` and the figure ``frontier.png``.

``report.html`` is the page policy staff open (the shared shell of ``sim.report.page``:
self-contained, the figure embedded): its first sentence is the answer, the cheapest
point meeting every target with its cost and levers, then the frontier's table. The
Markdown twin reads in a terminal, on a code host and in the docs alike.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pandas as pd

from ..errors import ScenarioError
from ..experiment.folder import write_file
from ..stats.catalogue import fmt
from .run import FrontierResult


def is_frontier_folder(folder: str | Path) -> bool:
    """A folder written by ``frontier`` (its manifest says so)."""
    path = Path(folder) / "manifest.json"
    if not (path.is_file() and (Path(folder) / "points.csv").is_file()):
        return False
    try:
        return json.loads(path.read_text("utf-8")).get("kind") == "frontier"
    except (ValueError, AttributeError):
        return False


def load_frontier(folder: str | Path) -> FrontierResult:
    """A frontier back from its folder (``points.csv`` and ``manifest.json``)."""
    folder = Path(folder)
    try:
        meta = json.loads((folder / "manifest.json").read_text("utf-8"))
        points = pd.read_csv(folder / "points.csv")
        for col in ("all_met", "on_frontier", "cheapest_meeting"):
            points[col] = points[col].astype(str).str.lower().eq("true")
        return FrontierResult(
            points=points, targets=meta.pop("targets"), labels=meta.pop("labels"),
            levers=meta.pop("levers"), manifest=meta,
        )  # fmt: skip
    except (OSError, ValueError, KeyError) as err:
        raise ScenarioError(f"{folder}: not a readable frontier folder ({err})") from err


def write_frontier_report(folder: str | Path, result: FrontierResult | None = None) -> Path:
    """Write ``frontier.png``, ``frontier.md`` and ``report.html`` into ``folder`` (the
    result read back from it when not given); return the HTML report."""
    from ..report.figures.frontier import cost_response  # matplotlib only when reporting
    from ..report.page import embed_figure

    folder = Path(folder)
    result = result or load_frontier(folder)
    fig = cost_response(result)
    write_file(folder / "frontier.png", lambda p: fig.savefig(p, format="png", dpi=120))
    write_file(folder / "frontier.md", report_text(result))
    figure = embed_figure(
        folder / "figures", "frontier", "Cost and response",
        f"Every point at its annual cost and {escape(result.labels[0])}, with its 95% "
        "interval; filled where every target holds, the frontier as a step line, the "
        "cheapest point meeting every target ringed.",
        lambda: fig,
    )  # fmt: skip
    write_file(folder / "report.html", report_html(result, figure))
    return folder / "report.html"


def answer_sentence(result: FrontierResult) -> str:
    """The answer in plain words: the cheapest point meeting every target, its cost and
    levers (or that none of the grid does)."""
    n = len(result.targets)
    best = result.cheapest
    if best is None:
        return (f"No point of the {len(result.points)}-point grid meets all {n} target(s): "
                "widen the levers' values.")  # fmt: skip
    mix = ", ".join(f"{lever} = {best[lever]}" for lever in result.levers)
    return (
        f"The cheapest mix meeting all {n} target(s) is {best['point']} ({mix}), at "
        f"{fmt('annual_cost_yuan', best['annual_cost_yuan'])} yuan a year."
    )


def report_html(result: FrontierResult, figure: str = "") -> str:
    """The HTML page: the answer, the question, the frontier's table and the figure."""
    from ..report.page import page, table, td

    m = result.manifest
    lead = (
        f"<p><b>{escape(answer_sentence(result))}</b></p>"
        f'<p class="meta">{len(result.points)} points x {m["replications"]} replications '
        f"(seed {m['seed']}). A target holds at a point when it holds at the pessimistic "
        "end of its 95% interval (as <code>staff</code> judges).</p>"
    )
    question = (
        "<p>Levers: " + ", ".join(f"<code>{escape(v)}</code>" for v in result.levers) + ".</p>"
        "<p>Targets (all must hold):</p><ol>"
        + "".join(f"<li><code>{escape(t)}</code></li>" for t in result.targets)
        + "</ol>"
    )
    head = ["point", *result.levers, "annual cost (yuan)", f"t1: {result.targets[0]}",
            "95% interval", "all met"]  # fmt: skip
    rows = []
    for _, r in result.frontier.iterrows():
        cells = [td(escape(str(r["point"])), False)]
        cells += [td(escape(str(r[lever]))) for lever in result.levers]
        cells += [
            td(escape(fmt("annual_cost_yuan", r["annual_cost_yuan"]))),
            td(f"{r['t1_estimate']:.3g}"),
            td(f"[{r['t1_ci95_low']:.3g}, {r['t1_ci95_high']:.3g}]"),
            td("yes" if r["all_met"] else "no", False),
        ]
        cls = ' class="sig"' if r["cheapest_meeting"] else ""
        rows.append(f"<tr{cls}>{''.join(cells)}</tr>")
    frontier = (
        f"<p>Cost against {escape(result.labels[0])}: no other point is at most as costly "
        "and at most as bad on the first target. The answer is in bold; all points: "
        "<code>points.csv</code>.</p>" + table(head, rows)
    )
    return page(
        "Cost-response frontier", "Cost-response frontier", lead,
        [("question", "Question", question), ("frontier", "Frontier", frontier),
         ("figure", "Figure", figure)],
    )  # fmt: skip


def report_text(result: FrontierResult) -> str:
    """The report's Markdown."""
    m = result.manifest
    lines = [
        "# Cost-response frontier",
        "",
        f"{len(result.points)} points x {m['replications']} replications (seed {m['seed']}), "
        f"{m['wall_time_s']:.0f} s. A target holds at a point when it holds at the "
        "pessimistic end of its 95% interval (as `staff` judges).",
        "",
        "Levers: " + ", ".join(f"`{lever}`" for lever in result.levers) + ".",
        "",
        "Targets (all must hold):",
        *[f"{k}. `{t}`" for k, t in enumerate(result.targets, start=1)],
        "",
    ]
    best = result.cheapest
    if best is None:
        lines.append("**No point of the grid meets every target.**")
    else:
        mix = ", ".join(f"{lever} = {best[lever]}" for lever in result.levers)
        lines.append(
            f"**Cheapest point meeting every target:** {best['point']} ({mix}), "
            f"{fmt('annual_cost_yuan', best['annual_cost_yuan'])} yuan a year."
        )
    lines += [
        "",
        f"## Frontier (cost vs {result.labels[0]})",
        "",
        "No other point is at most as costly and at most as bad on the first target. "
        "All points: `points.csv`.",
        "",
        _table(result.frontier, result),
        "",
        "![cost and response](frontier.png)",
        "",
    ]
    return "\n".join(lines)


def _table(df: pd.DataFrame, result: FrontierResult) -> str:
    head = ["point", *result.levers, "annual cost (yuan)", f"t1: {result.targets[0]}",
            "95% interval", "all met"]  # fmt: skip
    head = [h.replace("|", "\\|") for h in head]  # a target's filter bar ends no cell
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for _, r in df.iterrows():
        cells = [
            str(r["point"]),
            *[str(r[lever]) for lever in result.levers],
            fmt("annual_cost_yuan", r["annual_cost_yuan"]),
            f"{r['t1_estimate']:.3g}",
            f"[{r['t1_ci95_low']:.3g}, {r['t1_ci95_high']:.3g}]",
            "yes" if r["all_met"] else "no",
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)
