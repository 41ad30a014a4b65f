"""Experiments: run, compare and sweep over executors, with a restartable run store."""

from .experiment import Variant, run_experiment
from .options import RunOptions
from .results import Results, load_results
from .runner import compare, run, sweep

__all__ = [
    "Results",
    "RunOptions",
    "Variant",
    "compare",
    "load_results",
    "run",
    "run_experiment",
    "sweep",
]
