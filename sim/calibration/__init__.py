"""Calibration against published figures: history matching with an implausibility cut-off.

A calibration file names a base scenario, the inputs to fit (the sensitivity study's
inputs, ``sim.sensitivity.inputs``), the published targets with their uncertainty and
the method. ``calibrate`` runs waves of points through the experiment machinery on
common random numbers, rules out the implausible ones, and writes the accepted points,
the fit at the best point and the scenario file at that point.
"""

from .plan import is_calibration_file, read_calibration
from .results import Calibration, load_calibration
from .run import calibrate

__all__ = [
    "Calibration",
    "calibrate",
    "is_calibration_file",
    "load_calibration",
    "read_calibration",
]
