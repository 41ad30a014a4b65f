"""The SimPy model of one replication (knows nothing of files or executors)."""

from .replication import Records, RunTimeout, simulate

# Bump when a change moves any run's results (and regenerate tests/golden/): the run
# store keys runs on it, so results stored by an older model are never reused.
# 2: call-out delays drawn from one stream per unit (was one shared stream).
# 3: new record columns (reported_when, callout, county_team_officers, callouts); the Jinhua
#    baseline gained its 2019 calendar and arrival profiles; scenarios without a calendar,
#    profiles or rota keep every existing column bit for bit.
RESULTS_REVISION = 3

__all__ = ["RESULTS_REVISION", "Records", "RunTimeout", "simulate"]
