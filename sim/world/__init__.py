"""The static world a scenario describes: townships, units, distances, duty calendars."""

from .build import UnitLayout, World, build_world, units_as_yaml

__all__ = ["UnitLayout", "World", "build_world", "units_as_yaml"]
