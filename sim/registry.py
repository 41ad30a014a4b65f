"""Registries: the one place each swappable piece is listed by the name a scenario uses.

A deployment model, a shortfall policy, a dispatch order and a discovery channel are
each one class (or function) that registers itself where it lives; everything else —
the scenario schema's allowed values, the JSON schema and field reference, the
figures' markers and colours, the order of the channels — asks the registry, so
adding one touches nothing else.

Why the registries live here, on the bottom floor, and not beside their entries:
data flows scenario -> world -> model, and the schema (``sim.scenario``) must check a
name like ``deployment.model: squadron`` without importing ``sim.world`` or
``sim.model`` (``sim.world`` itself imports the schema: that would be a cycle). So
this module imports nothing of the project but ``sim.errors``; the schema imports
the (empty) registries from here and checks names against them *at validation
time*, and the implementations fill them when their modules are imported. The
package's ``__init__`` imports every floor, so by the time any scenario is
validated every built-in entry is registered.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from .errors import ScenarioError

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class Registry(Generic[T]):
    """Entries by name, in registration order (which is meaningful: channels break
    ties in it, reports list models in it)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind  # "deployment model": what an error message calls an entry
        self._entries: dict[str, T] = {}

    def register(self, entry: Any, *, name: str | None = None) -> Any:
        """Add ``entry`` under ``name`` (default ``entry.name``). A class is registered as
        an instance made without arguments and returned unchanged, so this works as a
        class decorator."""
        value = entry() if isinstance(entry, type) else entry
        key = name if name is not None else value.name
        if key in self._entries:
            raise ValueError(f"{self.kind} {key!r} is registered already")
        self._entries[key] = value
        return entry

    def register_as(self, name: str) -> Callable[[F], F]:
        """Decorator registering a function (which has no ``name``) under ``name``."""

        def add(entry: F) -> F:
            return self.register(entry, name=name)

        return add

    def unregister(self, name: str) -> None:
        del self._entries[name]

    @contextmanager
    def temporarily(self, entry: Any, *, name: str | None = None) -> Iterator[T]:
        """Register ``entry`` for the ``with`` block only (tests, experiments)."""
        self.register(entry, name=name)
        key = name if name is not None else getattr(entry, "name", None)
        try:
            yield self._entries[key]  # type: ignore[index]
        finally:
            self.unregister(key)  # type: ignore[arg-type]

    def names(self) -> tuple[str, ...]:
        return tuple(self._entries)

    def index(self, name: str) -> int:
        """Position in registration order (the channel code stored in records)."""
        return self.names().index(name)

    def lookup(self, name: str, path: str) -> T:
        """The entry, or a ``ScenarioError`` at field ``path`` that names the choices."""
        if name not in self._entries:
            raise ScenarioError(path, self.unknown(name))
        return self._entries[name]

    def unknown(self, name: Any) -> str:
        names = self.names()
        close = difflib.get_close_matches(str(name), names, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"unknown {self.kind} {name!r}{hint}; expected one of {', '.join(names)}"

    def __getitem__(self, name: str) -> T:
        return self._entries[name]

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self._entries)

    def items(self) -> list[tuple[str, T]]:
        return list(self._entries.items())

    def values(self) -> list[T]:
        return list(self._entries.values())

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}: {', '.join(self.names())})"


DEPLOYMENT_MODELS: Registry[Any] = Registry("deployment model")
"""``sim.world.deployment.DeploymentModel`` entries: stationed, squadron, central, ..."""

SHORTFALL_POLICIES: Registry[Any] = Registry("shortfall policy")
"""``sim.model.policies.ShortfallPolicy`` entries: wait, go_alone, borrow."""

DISPATCH_ORDERS: Registry[Any] = Registry("dispatch order")
"""Order keys ``(klass, severity, seq) -> tuple`` (``sim.model.policies``): fifo, severity."""

CHANNELS: Registry[Any] = Registry("discovery channel")
"""``sim.model.channels.Channel`` entries; the registration order is the order channels
break ties in and the code ``Incidents.channel`` stores."""
