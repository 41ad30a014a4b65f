"""Saved YAML reads back as written: results folders are re-run from their scenario files,
which are read as scenario files are (YAML 1.2, ``reading.parse_yaml``), so a string that
YAML 1.2 would take for a number (``1e3``, ``0o10``, ``.inf``) or for null must come back
as the same string, and every other value as itself."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from sim.experiment.folder import dump_yaml
from sim.experiment.results import load_results
from sim.scenario.reading import parse_yaml

# strings that YAML 1.1 or 1.2 (or both) read as something other than themselves
AMBIGUOUS = [
    "1e3", "1E3", "0o10", "0x1F", "010", "1_000", "+1", "-.5", ".5", "1.", ".inf", "-.Inf",
    ".NaN", "nan", "yes", "No", "on", "OFF", "y", "n", "true", "False", "null", "Null", "~",
    "", " ", "1:30", "190:20:30", "2019-01-21", "2019-01-21 08:30", "=", "<<", "-", "?", ":",
    "- a", "? a", "a: b", "#x", "a #b", "'", '"', "&a", "*a", "!x", "%x", "@x", "`x", "|", ">",
    "[a]", "{a: 1}", "a,b", " lead", "trail ", "two\nlines", "tab\there", "nul\x00", "\x85",
    "\u2028", "\ufeffbom", "$x$", "县城", "\\", "a\\nb",
]  # fmt: skip
TEXT = st.sampled_from(AMBIGUOUS) | st.text(max_size=12)
SCALARS = (
    TEXT | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.booleans() | st.none()
)
KEYS = TEXT | st.integers(-5, 5)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=25,
)


def _same(a, b) -> bool:
    """Equal, with the type kept (``True == 1`` and ``1 == 1.0`` in Python)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(
            _same(k, k2) and _same(a[k], b[k2]) for k, k2 in zip(a, b, strict=True)
        )
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isinf(a):
        return a == b
    return a == b


@settings(max_examples=300, deadline=None)
@given(DATA)
def test_dump_then_parse_is_the_identity(data):
    text = dump_yaml(data)
    assert _same(parse_yaml(text), data), text


def test_every_ambiguous_string_is_written_so_it_reads_back():
    data = {s: s for s in AMBIGUOUS}
    assert _same(parse_yaml(dump_yaml(data)), data)
    assert "'1e3'" in dump_yaml({"name": "1e3"}) and "'0o10'" in dump_yaml(["0o10"])
    assert dump_yaml({"name": "yes"}) == "name: 'yes'\n"  # quoted for YAML 1.1 readers too


def test_a_saved_scenario_keeps_its_strings(tmp_path):
    """Through a results folder: the resolved scenario saved and loaded again."""
    import pandas as pd

    from sim.experiment.results import Results

    scenario = {"name": "1e3", "description": "0o10", "units": {"yes": {"townships": ["010"]}}}
    summary = pd.DataFrame({"variant": ["1e3"], "scope": ["all"], "indicator": ["x"],
                            "mean": [1.0], "ci95_low": [0.5], "ci95_high": [1.5]})  # fmt: skip
    Results(summary, summary, {"1e3": scenario}, {"variants": ["1e3"]}).save(tmp_path)
    assert load_results(tmp_path).scenarios == {"1e3": scenario}
