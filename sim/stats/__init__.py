"""Statistics from record tables: indicators per replication, intervals across them."""

from .backlog import backlog_series
from .indicators import summarise_replication
from .intervals import across_replications, t_interval

__all__ = ["across_replications", "backlog_series", "summarise_replication", "t_interval"]
