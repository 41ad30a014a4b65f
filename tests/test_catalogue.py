"""The indicator catalogue: every number the results hold has one entry, and every reader
(targets, tables, the terminal) uses it."""

from __future__ import annotations

import math

import pytest

import sim
from sim.staffing import parse_target
from sim.stats import catalogue
from sim.stats.catalogue import (
    CATALOGUE,
    FORMATS,
    HEADLINE,
    HIGHER,
    INDICATORS,
    LOWER,
    NEITHER,
    QUANTITIES,
    ROTA_COST,
    SHARE,
    STAFFING_CONTEXT,
    SWEEP,
    SWEEP_FIGURE,
    WHEN_REPORTED,
    fmt,
    fmt_interval,
    label,
    possible,
)

SHORT = ["horizon_days=40", "warmup_days=5"]


@pytest.fixture(scope="module")
def results(example_path) -> sim.Results:
    return sim.run(example_path, replications=2, overrides=SHORT, seed=5)


def test_every_indicator_produced_is_catalogued_and_every_catalogued_one_is_produced(results):
    produced = set(results.summary["indicator"])
    assert produced - set(INDICATORS) == set(), "add these to sim/stats/catalogue.py"
    # the monthly loop's own (sim.stats.monthly) only when it is on: tests/test_ranking.py
    only_on = set(catalogue.ONLY_WITH_MONTHS) | set(catalogue.ONLY_WITH_COSTS)
    assert set(INDICATORS) - produced - only_on == set(), "catalogued but never computed"


def test_every_quantity_is_measured_from_record_columns_and_a_target_accepts_it(results):
    inc = results.incidents
    horizon_h = float(results.scenario["horizon_days"]) * 24
    for name, q in QUANTITIES.items():
        assert {q.end, q.start} - {""} <= set(inc.columns), name
        target = parse_target(f"mean({name}) <= 1")
        assert target.label == f"mean {q.label}"
        values = target.values(inc, horizon_h)["value"]
        assert len(values) and (values >= 0).all(), name


def test_entries_are_complete_and_selections_name_indicators():
    assert not set(INDICATORS) & set(QUANTITIES)
    for name, e in CATALOGUE.items():
        assert e.name == name and e.label and e.format in FORMATS, name
        assert e.better in (HIGHER, LOWER, NEITHER), name
        assert e.meaning.endswith(".") and "\n" not in e.meaning, name
        assert (e.format == SHARE) == (e.unit == "%"), name
    for selection in (HEADLINE, SWEEP, SWEEP_FIGURE, STAFFING_CONTEXT, WHEN_REPORTED, ROTA_COST):
        assert len(set(selection)) == len(selection)
        assert set(selection) <= set(INDICATORS), set(selection) - set(INDICATORS)


def test_labels_and_numbers_as_every_table_shows_them():
    assert label("response_h_p90") == "response time, 90th percentile (h)"
    assert label("two_person_compliance") == "two-person compliance (%)"
    assert label("incidents") == "incidents in the measured window"
    assert label("not_catalogued_x") == "not catalogued x"
    assert fmt("two_person_compliance", 0.9234) == "92.3%"
    assert fmt("two_person_compliance", -0.05, signed=True) == "-5.0%"
    assert fmt("response_h_mean", 3.456) == "3.46"
    assert fmt("response_h_mean", 2.5, signed=True) == "+2.50"
    assert fmt("pollution_hours_total", 12345.6) == "12,346"
    assert fmt("response_h_mean", math.nan) == fmt("response_h_mean", None) == "–"
    assert fmt_interval("share_unserved", 0.01, 0.02) == "[1.0%, 2.0%]"
    assert fmt_interval("share_unserved", math.nan, 0.02) == ""
    # a t interval over few replications can leave what is possible; tables cut it there
    assert possible("share_unserved", -0.1, 1.2) == (0.0, 1.0)
    assert possible("response_h_mean", -1.0, 5.0) == (0.0, 5.0)


def test_a_target_on_an_uncatalogued_quantity_is_refused_with_the_catalogue_list():
    with pytest.raises(sim.ScenarioError, match="expected one of response_h, "):
        parse_target("p90(response_h_mean) <= 4")
    assert parse_target("p90(response_h | severity=major) <= 4").label == (
        "p90 response time (severity=major)"
    )
    assert parse_target("median(team_wait_h) <= 1").label == "median wait for a legal team"
    weekend = parse_target("p90(response_h | reported_when=weekend_holiday) <= 24")
    assert weekend.filters == (("reported_when", ("weekend_holiday",)),)
    with pytest.raises(sim.ScenarioError, match="did you mean 'on_duty'"):
        parse_target("p90(response_h | reported_when=on-duty) <= 4")
