"""The static world a scenario describes: townships, units, distances, duty calendars."""

from .build import UnitLayout, World, build_world

__all__ = ["UnitLayout", "World", "build_world"]
