"""Experiments: replications over executors, results folders and manifests."""

from .results import Results, load_results
from .runner import run, run_replication

__all__ = ["Results", "load_results", "run", "run_replication"]
