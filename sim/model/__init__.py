"""The SimPy model of one replication (knows nothing of files or executors)."""

from .replication import Records, RunTimeout, simulate

__all__ = ["Records", "RunTimeout", "simulate"]
