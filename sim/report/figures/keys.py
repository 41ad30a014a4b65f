"""How deployment models, discovery channels and officers' activities look in figures.

Kept in one small place so a new activity is drawn by adding a row here; models and
channels carry their own marker and colour (``sim.registry``), read when a figure is drawn.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from ...registry import CHANNELS as _CHANNELS
from ...registry import DEPLOYMENT_MODELS

# record column, legend label, colour: the segments of the workload bars, idle last
ACTIVITY_BARS = (
    ("onsite_hours", "on site", "#1f77b4"),
    ("travel_hours", "travel", "#ff7f0e"),
    ("paperwork_hours", "paperwork", "#2ca02c"),
    ("inspection_hours", "planned inspections", "#9467bd"),
    ("diverted_hours", "diverted work", "#d62728"),
    ("idle_hours", "idle", "#d9d9d9"),
)


class _ChannelKeys(Sequence):
    """(channel, legend label, colour) of each registered channel, in registration order
    (the order of the discovery-channel bars)."""

    def __getitem__(self, k):  # type: ignore[override]
        rows = [(name, c.label, c.colour) for name, c in _CHANNELS.items()]
        return rows[k]

    def __len__(self) -> int:
        return len(_CHANNELS)


class _ModelMarkers(Mapping):
    """Deployment model -> (marker, what the marker stands for on a map)."""

    def __getitem__(self, model: str) -> tuple[str, str]:
        m = DEPLOYMENT_MODELS[model]
        return m.marker, m.marker_label

    def __iter__(self) -> Iterator[str]:
        return iter(DEPLOYMENT_MODELS.names())

    def __len__(self) -> int:
        return len(DEPLOYMENT_MODELS)


CHANNELS = _ChannelKeys()
MODEL_MARKERS = _ModelMarkers()
