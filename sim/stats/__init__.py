"""Statistics from record tables: indicators per replication, intervals across them."""

from .indicators import summarise_replication
from .intervals import across_replications, t_interval

__all__ = ["across_replications", "summarise_replication", "t_interval"]
