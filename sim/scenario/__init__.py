"""Scenario files: schema, distributions, loading and overrides."""

from .load import load_scenario
from .schema import LoadedScenario, Scenario

__all__ = ["LoadedScenario", "Scenario", "load_scenario"]
