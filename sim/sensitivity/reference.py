"""The study-file reference (docs/reference/study.md), generated from the schema like the
scenario reference, so neither can drift from the code."""

from __future__ import annotations

from ..scenario.reference import _rows
from .study import StudyPlan

INPUT_DISTS = (
    "| `dist` | parameters | values |\n"
    "|---|---|---|\n"
    "| `triangular` | `low`, `mode`, `high` | between `low` and `high` |\n"
    "| `normal` | `mean`, `sd`, optional `low`, `high` (truncation) | its 0.5%-99.5% range |\n"
    "| `lognormal` | `mean`, `cv` | its 0.5%-99.5% range |"
)


def markdown_reference() -> str:
    rows = ["| field | type | default | meaning |", "|---|---|---|---|"]
    _rows(StudyPlan, "", rows)
    return "\n".join(rows) + "\n\nInput distributions (`inputs.<name>.dist`):\n\n" + INPUT_DISTS
