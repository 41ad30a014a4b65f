"""Back-test: the model's tables, bit for bit, against golden results stored in git.

A handful of small but varied scenarios (every deployment model, every shortfall
policy and dispatch order, chaining, on-call duty, mixed and round-the-clock duty
calendars, planned inspections, diverted work, both discovery models, the
calibrated Jinhua baseline year with its holidays and arrival profiles, and a duty
rota with county teams and call-out limits) are run for one or two replications through
``sim.model.simulate``, and every column of every table (incidents, inspections,
officers, assignments, grid) is compared with ``tests/golden/backtest.json``:
row counts, a sha256 of the column's raw bytes (float64/int64/bool values, or the
text of labels) and, to say *how* a column moved when it does, its sum and count
of missing values. Hashing the bytes rather than printed numbers makes the test
bit-exact: a refactoring or optimisation of the model must not move a single bit.

When a change is *meant* to change results, bump ``RESULTS_REVISION`` in
``sim/model/__init__.py`` (the run store keys on it; regenerating refuses to record
moved results under the old revision), regenerate the golden file and commit it with
the change (review shows which figures moved)::

    ENFORCEMENT_SIM_REGOLD=1 pytest tests/test_backtest.py

Pattern after pythonhealthdatascience/pydesrap_mms ``tests/test_backtest.py``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from helpers import EXAMPLES, example_raw, stationed_offices

from sim.audit import audit
from sim.model import RESULTS_REVISION, simulate
from sim.scenario.load import from_mapping
from sim.world import build_world

ROOT = Path(__file__).resolve().parent.parent
JINHUA = ROOT / "scenarios" / "jinhua"
GOLDEN = Path(__file__).resolve().parent / "golden" / "backtest.json"
REVISION_KEY = "_results_revision"
REGOLD = os.environ.get("ENFORCEMENT_SIM_REGOLD", "") not in ("", "0")
TABLES = ("incidents", "inspections", "officers", "assignments", "grid")


def _busy(raw: dict, factor: float) -> dict:
    for spec in raw["incident_types"].values():
        spec["rate_per_day"] *= factor
    return raw


def _example() -> dict:
    return example_raw()


def _severity_borrow() -> dict:
    """Stationed offices lending each other officers, severity order, inspections,
    diverted work and a Saturday shift."""
    raw = _busy(example_raw(), 3.0)
    raw["units"] = stationed_offices(east=3, north=2, city=4)
    raw["duty"]["weekdays"] = ["mon", "tue", "wed", "thu", "fri", "sat"]
    raw["enforcement"].update(
        shortfall_policy="borrow", dispatch_order="severity", diverted_share=0.2,
        mutual_aid={"after_hours": 0.5},
    )  # fmt: skip
    raw["inspections"] = {"rate_per_day": 0.1}
    return raw


def _alone_chaining() -> dict:
    """An integrated team going alone and chaining, with a unit on duty around the clock
    next to one on office hours, more severities on call and a three-officer type."""
    raw = _busy(example_raw(), 3.0)
    raw["units"] = {
        "team": {"model": "integrated", "county": "Pujiang", "officers": 6,
                 "posts": {"Tanxi": 2, "Yuzhai": 2, "Puyang": 2},
                 "townships": ["Zhengzhai", "Yantou", "Tanxi", "Dafan", "Zhongyu", "Hangping",
                               "Yuzhai", "Puyang", "Punan", "Xianhua", "Qianwu", "Huaqiao"],
                 "duty": {"always": True}},
        "night": {"model": "squadron", "officers": 3,
                  "townships": ["Huangzhai", "Baima", "Zhengjiawu"], "diverted_share": 0.4},
    }  # fmt: skip
    raw["duty"]["on_call"]["severities"] = ["moderate", "major"]
    raw["incident_types"]["wastewater"]["team_size"] = 3
    raw["enforcement"].update(shortfall_policy="go_alone", chaining=True, diverted_share=0.25)
    raw["inspections"] = {"rate_per_day": 0.05, "team_size": 1}
    return raw


def _central_delay() -> dict:
    """A central pool waiting for full teams, with chaining, the single-delay discovery
    model and no call-outs."""
    raw = _busy(example_raw(), 2.0)
    raw["units"] = {"pool": {"model": "central", "county": "Pujiang", "officers": 7}}
    raw["discovery"] = {"model": "delay", "delay_hours": {"dist": "exponential", "mean": 12}}
    raw["duty"]["on_call"]["severities"] = []
    raw["enforcement"].update(chaining=True, diverted_share=0.1)
    raw["inspections"] = {"rate_per_day": 0.2}
    return raw


def _jinhua(**enforcement: Any) -> dict:
    raw = yaml.safe_load((JINHUA / "baseline.yaml").read_text(encoding="utf-8"))
    raw["enforcement"].update(enforcement)
    return raw


def _jinhua_short() -> dict:
    """The whole city for four months with mutual aid, severity order and chaining."""
    raw = _jinhua(shortfall_policy="borrow", dispatch_order="severity", chaining=True,
                  mutual_aid={"after_hours": 2.0, "max_km": 40})  # fmt: skip
    raw["horizon_days"] = 120
    return raw


def _jinhua_rotas() -> dict:
    """The whole city for ten weeks under a county weekend team, a county night on-call
    team, moderate incidents called out, call-out limits and rest (the rota path)."""
    raw = _jinhua()
    raw["horizon_days"], raw["warmup_days"] = 70, 7
    raw["duty"]["on_call"]["severities"] = ["moderate", "major"]
    raw["duty"]["rota"] = {
        "weekend_team": {"officers": 2, "per": "county"},
        "night_on_call": {"officers": 2, "per": "county"},
        "max_callouts_per_week": 3,
        "rest_after_callout_hours": 8,
    }
    return raw


# name: (scenario mapping, its folder, seed, replications)
CASES = {
    "example": (_example, EXAMPLES, 1, (0, 1)),
    "severity_borrow": (_severity_borrow, EXAMPLES, 3, (0, 1)),
    "alone_chaining": (_alone_chaining, EXAMPLES, 5, (0, 1)),
    "central_delay": (_central_delay, EXAMPLES, 7, (0,)),
    "jinhua_baseline": (_jinhua, JINHUA, 20190121, (0,)),
    "jinhua_borrow_chaining": (_jinhua_short, JINHUA, 11, (0,)),
    "jinhua_rotas": (_jinhua_rotas, JINHUA, 13, (0,)),
}


def _is_label(s: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype))


def _column_bytes(s: pd.Series) -> bytes:
    if _is_label(s):
        return "\x1f".join(map(str, s.astype(object).tolist())).encode()
    if pd.api.types.is_bool_dtype(s.dtype):
        return np.ascontiguousarray(s.to_numpy(), dtype=np.uint8).tobytes()
    if np.issubdtype(s.dtype, np.integer):
        return np.ascontiguousarray(s.to_numpy(), dtype=np.int64).tobytes()
    return np.ascontiguousarray(s.to_numpy(), dtype=np.float64).tobytes()


def _sum(s: pd.Series) -> float | str | None:
    if _is_label(s):
        return None
    total = float(np.nansum(s.to_numpy(dtype=float)))
    return float(f"{total:.12g}") if math.isfinite(total) else str(total)


def fingerprint(df: pd.DataFrame) -> dict:
    return {
        "rows": len(df),
        "columns": {
            c: {
                "sha256": hashlib.sha256(_column_bytes(df[c])).hexdigest()[:24],
                "sum": _sum(df[c]),
                "missing": int(df[c].isna().sum()),
            }
            for c in df.columns
        },
    }


def run_case(name: str) -> dict:
    make, folder, seed, reps = CASES[name]
    world = build_world(from_mapping(copy.deepcopy(make()), base_dir=folder))
    sc = world.scenario
    out = {}
    for rep in reps:
        rec = simulate(world, seed, rep)
        audit(
            rec.incidents, rec.officers, rec.assignments,
            shortfall_policy=sc.enforcement.shortfall_policy,
            window_hours=(sc.warmup_hours, sc.horizon_hours), world=world,
        )  # fmt: skip
        out[f"replication {rep}"] = {t: fingerprint(getattr(rec, t)) for t in TABLES}
    return out


def _one_line(m: re.Match) -> str:
    return "{" + " ".join(line.strip() for line in m.group(1).splitlines()) + "}"


@pytest.fixture(scope="module")
def golden() -> dict:
    if REGOLD:
        return {}
    if not GOLDEN.exists():
        pytest.fail(f"{GOLDEN} is missing: run ENFORCEMENT_SIM_REGOLD=1 pytest {__file__}")
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module", autouse=True)
def _write_golden():
    """With ENFORCEMENT_SIM_REGOLD set, collect every case and write the golden file."""
    found: dict = {}
    yield found
    if REGOLD and found:
        old = json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.exists() else {}
        moved = sorted(k for k, v in found.items() if k in old and old[k] != v)
        if moved and old.get(REVISION_KEY) == RESULTS_REVISION:
            pytest.fail(
                f"results moved ({', '.join(moved)}) but RESULTS_REVISION is still "
                f"{RESULTS_REVISION}: bump it in sim/model/__init__.py, so run stores "
                "never reuse runs of the old model, then regenerate"
            )
        GOLDEN.parent.mkdir(exist_ok=True)
        new = old | found | {REVISION_KEY: RESULTS_REVISION}
        text = json.dumps(new, indent=1, sort_keys=True)
        text = re.sub(r"\{\n\s*([^{}]*?)\n\s*\}", _one_line, text)  # a column per line
        GOLDEN.write_text(text + "\n", encoding="utf-8")


def test_golden_file_is_of_this_results_revision(golden: dict) -> None:
    if REGOLD:
        return
    assert golden.get(REVISION_KEY) == RESULTS_REVISION, (
        "tests/golden/backtest.json was written by another RESULTS_REVISION: regenerate it"
    )


@pytest.mark.parametrize("name", list(CASES))
def test_results_match_the_golden_file(name: str, golden: dict, _write_golden: dict) -> None:
    got = run_case(name)
    if REGOLD:
        _write_golden[name] = got
        return
    assert name in golden, f"no golden results for {name!r}: regenerate (see docstring)"
    want = golden[name]
    diffs = []
    for rep, tables in want.items():
        for table, fp in tables.items():
            new = got.get(rep, {}).get(table)
            if new is None:
                diffs.append(f"{rep} {table}: missing")
                continue
            if new["rows"] != fp["rows"]:
                diffs.append(f"{rep} {table}: {new['rows']} rows, golden {fp['rows']}")
            for col, old in fp["columns"].items():
                cur = new["columns"].get(col)
                if cur != old:
                    diffs.append(f"{rep} {table}.{col}: {cur} != golden {old}")
            extra = set(new["columns"]) - set(fp["columns"])
            if extra:
                diffs.append(f"{rep} {table}: new columns {sorted(extra)}")
    assert not diffs, f"{name}: results moved\n  " + "\n  ".join(diffs[:30])
