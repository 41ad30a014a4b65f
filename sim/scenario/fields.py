"""The scenario's building blocks: strict scalar types, the frozen base model, dates.

Kept apart from the models that use them (``schema`` and ``time``), so each of those
modules stays one subject.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict

SEVERITIES = ("minor", "moderate", "major")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

Int = Annotated[int, Strict()]
"""Strict: ``true`` is not 1, ``"5"`` is not 5 and 2.5 is not a count."""
Number = Annotated[float, Strict()]
"""Strict: ``true`` and ``"5"`` are not numbers; an integer is one."""
Bool = Annotated[bool, Strict()]
"""Strict: ``yes``, ``on`` and 1 are not booleans (YAML 1.2 reads yes and on as words)."""
Probability = Annotated[Number, Field(ge=0, le=1)]
Severity = Literal["minor", "moderate", "major"]


class _Model(BaseModel):
    """Numbers and booleans are strict (``Int``, ``Number``, ``Bool``): a value of the wrong
    type is refused, never converted; an integer is still a number."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False
    )


def _iso_date(value: Any) -> Any:
    """A calendar date written as ``2019-02-04`` (YAML reads it as a date) or as that
    text; never a number (pydantic would read 1549238400 as seconds since 1970)."""
    if isinstance(value, dt.datetime):
        raise ValueError("must be a date such as 2019-02-04, without a time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError("must be a date such as 2019-02-04")


Date = Annotated[dt.date, BeforeValidator(_iso_date)]


MAX_MULTIPLIER = 1000.0
"""Largest arrival-rate multiplier: a thousandfold surge is already far beyond any
published pattern, and the bound keeps every product of multipliers finite."""
Multiplier = Annotated[Number, Field(ge=0, le=MAX_MULTIPLIER)]
