"""The calibration-file reference (docs/reference/calibration-file.md), generated from the
schema like the scenario and study references, so none can drift from the code."""

from __future__ import annotations

from ..scenario.reference import _rows
from ..sensitivity.reference import INPUT_DISTS
from .plan import CalibrationPlan

STATISTICS = (
    "| statistic | measures, per run |\n"
    "|---|---|\n"
    "| `count(cases)` | incidents a legal team attended, started after the warm-up, "
    "per measured year |\n"
    "| `count(reports)`, `count(incidents)` | incidents reported to enforcement; all "
    "incidents (same window, per year) |\n"
    "| `count(cases \\| county=Dongyang, type=noise)` | filtered as staffing targets are "
    "(`severity`, `type`, `county`, `township`, `reported_when`) |\n"
    "| `response_h_mean` | a headline indicator ([indicators](indicators.md)) |\n"
    "| `p90(response_h \\| severity=major)` | a statistic of a per-incident quantity "
    "(the staffing target grammar, without its limit) |"
)


def markdown_reference() -> str:
    rows = ["| field | type | default | meaning |", "|---|---|---|---|"]
    _rows(CalibrationPlan, "", rows)
    return (
        "\n".join(rows)
        + "\n\nTarget statistics (`targets.<name>.statistic`):\n\n"
        + STATISTICS
        + "\n\nInput distributions (`inputs.<name>.dist`):\n\n"
        + INPUT_DISTS
    )
