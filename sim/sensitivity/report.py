"""The study's report section: ``report.html`` in its results folder.

Says what was varied and how, which inputs matter for each output (ranked by Morris
``mu*`` or Sobol' ``ST``), how much of the spread is simulation noise, and with a
compare file which variant stays best, its regret and the rules that flip the ranking.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import numpy as np
import pandas as pd

from ..experiment.folder import write_file
from ..report.figures.sensitivity import (
    morris_screening,
    probability_best,
    regret_bars,
    sobol_indices,
)
from ..report.page import embed_figure, failures_note, num, page, table, td
from .results import Sensitivity, load_sensitivity

TOP = 5  # inputs named per output in the ranking table


def write_sensitivity_report(folder: str | Path, s: Sensitivity | None = None) -> Path:
    folder = Path(folder)
    s = s or load_sensitivity(folder)
    path = folder / "report.html"
    write_file(path, _build(folder, s))
    return path


def ranking(s: Sensitivity) -> pd.DataFrame:
    """Per subject and output, the inputs by importance (``mu_star`` or ``ST``)."""
    stat = "mu_star" if s.manifest["method"] == "morris" else "ST"
    idx = s.indices[s.indices["statistic"] == stat]
    subjects = list(dict.fromkeys([*s.manifest["variants"], *idx["subject"]]))
    outputs = list(dict.fromkeys([*s.outputs, *idx["output"]]))
    order = idx.assign(_s=idx["subject"].map(subjects.index), _o=idx["output"].map(outputs.index))
    order = order.sort_values(["_s", "_o", "value"], ascending=[True, True, False])
    return order.drop(columns=["_s", "_o"])


def _inputs(s: Sensitivity) -> str:
    rows = []
    for name, spec in s.study["inputs"].items():
        paths = spec.get("paths") or [spec.get("path") or name]
        how = (f"range {spec['range']}" if "range" in spec else
               escape(", ".join(f"{k}={v}" for k, v in spec["dist"].items())))  # fmt: skip
        how += " (x base value)" if spec.get("scale") else ""
        where = "<br>".join(escape(p) for p in paths)
        why = escape(spec.get("why") or "")
        rows.append(f"<tr>{td(escape(name), False)}{td(where, False)}{td(how, False)}"
                    f"{td(why, False)}</tr>")  # fmt: skip
    return table(["input", "paths", "values", "why"], rows)


def _importance(s: Sensitivity) -> str:
    if s.indices.empty:
        return '<p class="missing">No indices: some runs failed.</p>'
    stat = "mu*" if s.manifest["method"] == "morris" else "ST"
    noise = s.noise.set_index(["subject", "output"])["noise_share"] if len(s.noise) else None
    rows = []
    for (subject, output), part in ranking(s).groupby(["subject", "output"], sort=False):
        top = part.head(TOP)
        named = "; ".join(
            f"{escape(r.input)} {num(r.value, 3)} [{num(r.ci95_low, 3)}, {num(r.ci95_high, 3)}]"
            for r in top.itertuples()
        )
        share = noise.get((subject, output), np.nan) if noise is not None else np.nan
        rows.append(f"<tr>{td(escape(subject), False)}{td(escape(output), False)}"
                    f"{td(named, False)}{td(num(share, 2))}</tr>")  # fmt: skip
    return (
        f"<p>Inputs ranked by {stat} with its 95% bootstrap interval (an interval reaching 0: "
        "no detectable effect). <b>Noise share</b>: the simulation noise of a point's mean "
        "(within-point variance / replications) over the variance of the means between "
        "points; above about 0.2 the ranking is blurred by noise and more replications "
        "are needed.</p>" + table(["subject", "output", f"inputs by {stat}", "noise share"], rows)
    )


def _decisions(s: Sensitivity) -> str:
    r = s.robustness
    if r is None or r.empty:
        return "<p>The base is a single scenario: no variants to rank.</p>"
    rows = [
        f"<tr>{td(escape(x.variant), False)}{td(num(100 * x.prob_best, 1) + '%')}"
        f"{td(num(x.mean, 3))}{td(num(x.regret_median, 3))}{td(num(x.regret_p90, 3))}"
        f"{td(num(x.regret_max, 3))}</tr>"
        for x in r.itertuples()
    ]
    out = (
        f"<p>Ranked on <code>{escape(r['indicator'].iloc[0])}</code> ({r['better'].iloc[0]} "
        f"is better) at {int(r['points'].iloc[0])} sampled points, each variant on the same "
        "random numbers at every point. Regret: how much worse than the best variant at the "
        "same point.</p>"
        + table(
            ["variant", "probability best", "mean", "regret median", "regret p90", "regret max"],
            rows,
            scroll=False,
        )  # fmt: skip
    )
    if s.rules is not None and len(s.rules):
        rrows = [
            f"<tr>{td(escape(x.a), False)}{td(escape(x.b), False)}"
            f"{td(num(100 * x.share_a_better, 1) + '%')}{td(escape(x.rule), False)}"
            f"{td(num(100 * x.rule_accuracy, 1) + '%')}</tr>"
            for x in s.rules.itertuples()
        ]
        out += (
            "<h3>When the ranking flips</h3><p>For each pair, the share of points at which "
            "the first is better, and a decision tree of depth two over the inputs saying "
            "where (leaf: the better variant and the points it gets right).</p>"
            + table(["a", "b", "a better", "rule", "rule right"], rrows)
        )
    return out


def _figures(s: Sensitivity, figdir: Path) -> str:
    parts = []
    for subject in s.manifest["variants"]:
        if s.manifest["method"] == "morris":
            parts.append(embed_figure(
                figdir, f"morris_{subject}", f"Morris screening: {subject}",
                "Each input's mu* (mean absolute effect on the output as it moves across its "
                "range) against sigma; on or above the dotted line the effect depends on the "
                "other inputs.", lambda sub=subject: morris_screening(s, subject=sub)))  # fmt: skip
        else:
            parts.append(embed_figure(
                figdir, f"sobol_{subject}", f"Sobol' indices: {subject}",
                "First-order (S1) and total (ST) indices with 95% bootstrap intervals.",
                lambda sub=subject: sobol_indices(s, subject=sub)))  # fmt: skip
    if s.robustness is not None and len(s.robustness):
        parts.append(embed_figure(figdir, "probability_best", "Probability best",
                                  "Share of sampled points at which each variant is best.",
                                  lambda: probability_best(s)))  # fmt: skip
        parts.append(embed_figure(figdir, "regret", "Regret",
                                  "Median (bar) and 90th percentile (tick) of the regret.",
                                  lambda: regret_bars(s)))  # fmt: skip
    return "".join(parts)


def _build(folder: Path, s: Sensitivity) -> str:
    m = s.manifest
    name = folder.resolve().name
    meta = (
        f"{escape(m['method'])} · {m['points']} points x {len(m['variants'])} variant(s) x "
        f"{m['replications']} replication(s) · seed {m['seed']} · {m['wall_time_s']:.0f} s · "
        f"enforcement-sim {escape(str(m.get('version', '?')))}"
    )
    lead = f'<p class="meta">{meta}</p>' + failures_note(
        m.get("failures") or [], "indices and rankings are not computed"
    )
    sections = [
        ("inputs", "Uncertain inputs", _inputs(s)),
        ("importance", "Which inputs matter", _importance(s)),
        ("decisions", "Robust decisions", _decisions(s)),
        ("figures", "Figures", _figures(s, folder / "figures")),
    ]
    return page(f"{name}: sensitivity", f"{name}: sensitivity and robustness", lead, sections)
