"""The staffing search: fewest officers per county to meet a response target, and where
a fixed city-wide total does most good: how many officers a county needs and where.
``targets_met`` judges several targets on one run's records (``staff`` and ``frontier``)."""

from .evaluate import targets_met
from .results import Staffing, load_staffing
from .staff import staff
from .target import Target, parse_target

__all__ = ["Staffing", "Target", "load_staffing", "parse_target", "staff", "targets_met"]
