"""Any place in mainland China: the packaged township table (42,950 units, NBS 2016 codes,
CC BY 4.0, see :data:`sim.china.data.ATTRIBUTION`), finding a province, prefecture or county
in it, and romanised names. Nothing is read until a function is called."""

from __future__ import annotations

from .data import ATTRIBUTION, counties, townships
from .names import romanise, unique_names
from .search import AmbiguousPlace, Area, UnknownPlace, find_area

__all__ = [
    "ATTRIBUTION", "AmbiguousPlace", "Area", "UnknownPlace", "counties", "find_area",
    "romanise", "townships", "unique_names",
]  # fmt: skip
