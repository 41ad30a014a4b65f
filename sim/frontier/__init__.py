"""The cost-response frontier: which mix of the bureau's levers meets the targets for least.

``frontier`` runs every combination of declared lever values (a sweep with targets), costs
each point (``annual_cost_yuan``, from the scenario's ``costs`` block) and judges the
targets there as ``staff`` does; the points no other point beats on both cost and the first
target's statistic are the frontier.
"""

from .plan import FrontierPlan, read_frontier
from .run import FrontierResult, evaluate, frontier, non_dominated

__all__ = ["FrontierPlan", "FrontierResult", "evaluate", "frontier", "non_dominated",
           "read_frontier"]  # fmt: skip
