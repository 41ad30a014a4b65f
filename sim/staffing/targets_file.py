"""Where a staffing question's targets come from: ``--target`` (repeatable), a targets
file, or the default bundle.

The default bundle is what policy staff would sign: a response target alone is met by a
handful of officers who answer majors at night and let the planned inspections, the
ordinary reports and their own hours slide (issue 18), so the default holds all four.

A targets file is YAML, read strictly (unknown keys refused)::

    targets:
      - p90(response_h | severity=major) <= 4
      - mean(inspections_done_share) >= 0.95
    notes: why these limits (optional, free text)

Any error is one line naming the file and the entry (``targets.1``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError

from ..errors import ScenarioError
from ..scenario.fields import _Model
from ..scenario.messages import from_validation_error
from ..scenario.reading import read_yaml_file
from .target import Target, parse_target

DEFAULT_TARGETS: tuple[str, ...] = (
    # the article's question, and the search's default until issue 18
    "p90(response_h | severity=major) <= 4",
    # ordinary reports too: six working days (48 duty hours) for nine in ten (assumption)
    "p90(response_working_h) <= 48",
    # the planned (double-random) inspection programme is itself a duty, not optional
    "mean(inspections_done_share) >= 0.95",
    # 36 h of overtime a month at most (PRC Labour Law art. 41) x 12: a benchmark, officers
    # are civil servants; 432 h per officer-year
    "mean(overtime_h_per_officer_year) <= 432",
)


class TargetsFile(_Model):
    """A staffing question as a file: every target must hold."""

    targets: list[Annotated[str, Field(min_length=1)]] = Field(
        min_length=1,
        description="Targets in the `--target` grammar; the answer is the smallest head count "
        "at which all hold. The first is the one the allocation minimises.",
    )
    notes: str = Field("", description="Why these targets and limits (free text).")


def read_targets_file(path: Path) -> list[str]:
    """The targets of a targets file (one-line errors naming the file and field)."""
    raw = None
    try:
        raw = read_yaml_file(Path(path), "targets file")
        return list(TargetsFile.model_validate(raw).targets)
    except ScenarioError as err:
        raise err.located(str(path)) from None
    except ValidationError as err:
        raise from_validation_error(err, raw, root=TargetsFile).located(str(path)) from None


def parse_targets(
    texts: Sequence[str], file: Path | None = None, **names: tuple[str, ...]
) -> list[Target]:
    """Parse every target against the scenario's names; an error in a targets file names
    the file and the entry (``targets.<i>``), one on the command line ``--target``."""
    out = []
    for i, text in enumerate(texts):
        try:
            out.append(parse_target(text, **names))
        except ScenarioError as err:
            if file is None:
                raise
            raise ScenarioError(f"targets.{i}", err.message, str(file)) from None
    return out
