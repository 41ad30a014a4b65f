"""The explorer page's widget keys: the contract between the page and its browser test.

Streamlit puts ``st-key-<key>`` on a keyed widget's container, so a browser test finds a
widget by these names and an ``AppTest`` by ``key=``; both import them from here rather than
spelling them again. Per-county widgets add the county's name (``officers_Pujiang``).
"""

from __future__ import annotations

SCENARIO = "scenario"
UPLOAD_YAML = "upload_yaml"
UPLOAD_CSV = "upload_csv"
COUNTIES = "counties"
SHORTFALL = "shortfall"
SENSOR_COVERAGE = "sensor_coverage"
REWARD_MULTIPLIER = "reward_multiplier"
FULLTIME_GRID = "fulltime_grid"
REPLICATIONS = "replications"
SEED = "seed"
RUN = "run"
CANCEL = "cancel"  # shown while a comparison runs; a click reruns the page, stopping it

DONE = "results_complete"
"""Container drawn last, after every result of a run: its text ``Run N complete`` (N counts
the session's runs) tells a test that the whole page of run N is there."""
FIGURE = "figure_{name}"  # container of a report figure, e.g. figure_paired_differences

MEAN_RESPONSE = "Mean response time"
"""Stable text of the results' headline metric (the mean response difference)."""


def model_key(county: str) -> str:
    return f"model_{county}"


def officers_key(county: str) -> str:
    return f"officers_{county}"


def rota_key(county: str) -> str:
    return f"rota_{county}"
