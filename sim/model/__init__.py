"""The SimPy model of one replication (knows nothing of files or executors)."""

from .replication import Records, simulate

__all__ = ["Records", "simulate"]
