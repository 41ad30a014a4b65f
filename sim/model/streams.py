"""Random streams keyed by purpose, never by call order.

Every random quantity draws from the stream named for its purpose, derived from
(seed, replication, purpose) with ``SeedSequence``. Adding a new random draw, or
changing the deployment model, cannot shift the numbers any other purpose sees:
that is what makes comparisons between variants paired (common random numbers).
"""

from __future__ import annotations

import hashlib

import numpy as np


def purpose_key(purpose: str) -> int:
    """A stable 32-bit key for a purpose name (Python's ``hash`` is salted per process)."""
    return int.from_bytes(hashlib.sha256(purpose.encode("utf-8")).digest()[:4], "little")


class Streams:
    """The random generators of one replication."""

    def __init__(self, seed: int, replication: int) -> None:
        self.seed = seed
        self.replication = replication

    def rng(self, purpose: str) -> np.random.Generator:
        seq = np.random.SeedSequence(self.seed, spawn_key=(self.replication, purpose_key(purpose)))
        return np.random.default_rng(seq)
