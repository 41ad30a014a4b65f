"""Sensitivity analysis and robust decisions over uncertain inputs (SALib).

A study file names a base (a scenario, or a compare file of variants), the uncertain
inputs (``inputs.py``, shared with calibration), the outputs and a design (Morris or
Sobol'). ``sensitivity`` runs every point through the experiment machinery on common
random numbers and writes the indices, the share of simulation noise and, for a compare
file, each variant's probability of being best, its regret and the rules that flip
the ranking.
"""

from .inputs import InputSpace, UncertainInput
from .results import Sensitivity, load_sensitivity
from .run import sensitivity
from .study import is_study_file

__all__ = [
    "InputSpace",
    "Sensitivity",
    "UncertainInput",
    "is_study_file",
    "load_sensitivity",
    "sensitivity",
]
