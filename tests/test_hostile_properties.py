"""Hostile YAML: random mutations of the example scenario never get past the CLI's contract.

``enforcement-sim validate FILE`` either accepts the file (exit 0) or prints exactly one
line, ``error: ...``, on stderr and exits 2 — never a traceback, never any other
exception, whatever the file holds. The mutations are what a careless or hostile user
writes: wrong types, YAML 1.1 booleans and base-60 numbers, huge, tiny, negative, NaN and
infinite numbers, integers past 64 bits, long and odd strings (NUL, newlines, bidi
marks, mathtext), tags, deep nesting, aliases (small fan-outs, recursive, undefined),
merge keys and complex keys, in values, in keys, deleted fields, extra fields, and the
same through ``--set``.

The mutated file is the example rendered as one YAML flow mapping with markers where
the mutations go, each marker replaced by a raw YAML snippet, so the snippets reach the
YAML reader as text (a value built in Python could never be ``yes`` or ``1:30``).
The default suite draws 100 files (a few seconds); ``--runslow`` draws 1,500 with deeper
nesting and longer strings.
"""

from __future__ import annotations

import contextlib
import copy
import io
import shutil
import tempfile
import traceback
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "scenarios" / "examples"
EXAMPLE = yaml.safe_load((EXAMPLES / "pujiang_squadrons.yaml").read_text(encoding="utf-8"))
CSV = EXAMPLES / "pujiang_townships.csv"

SCALARS = [
    # YAML 1.1 surprises, booleans and nulls
    "yes", "no", "on", "off", "y", "true", "False", "~", "null", "''", '""',
    # numbers: octal, hex, base 60, underscores, extremes, past 64 bits, NaN, infinities
    "0", "-0", "-1", "010", "0o17", "0x1F", "1:30", "190:20:30", "1_000", "0.5", "3", "1e9",
    "1.0e+9", "1e308", "-1e308", "1.7976931348623157e+308", "1e-320", "5e-324", "-5e-324",
    ".nan", ".NaN", ".inf", "-.inf", "+.inf", "nan", "inf", "9223372036854775808",
    "-9223372036854775809", "340282366920938463463374607431768211457", "1e1000",
    # strings a path, a name, a figure or a terminal could choke on
    '"\\0"', '"a\\nb"', '"a\\tb"', '"\\r"', '"$x^{2}$"', '"$\\\\frac{"', '"../../etc/passwd"',
    '"/dev/zero"', "'   '", '"\\u202e"', '"\\uFEFF"', '"郑家坞"', '"%s%n"', '"{0}"', "'\"'",
    # tags
    "!!binary aGVsbG8=", "!!set {a, b}", "!!timestamp 2001-12-14", "2001-12-14",
    "!!float 1", "!!int '3'", "!!str 3", "!!python/none ''", "!!python/object:os.system ls",
    "!unknown x", "!!omap [a: 1]", "!!pairs [a: 1]",
    # collections, aliases, merge and complex keys
    "[]", "{}", "[1, 2]", "{a: 1}", "[[1]]", "{dist: fixed}", "{dist: gamma, mean: 1, cv: 1e-200}",
    "&x [1, *x]", "*undefined", "{<<: {a: 1}}", "{<<: [1]}", "{? [a, b] : 1}", "{? {a: 1} : 1}",
    "&y {a: *y}",
]  # fmt: skip


def _bomb(levels: int, fan: int) -> str:
    """A small billion-laughs: ``fan ** levels`` leaves through aliases."""
    parts = ["a0: &a0 [x]"]
    for k in range(1, levels + 1):
        parts.append(f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * fan)}]")
    return "{" + ", ".join(parts) + "}"


def snippets(depth: int, length: int) -> st.SearchStrategy[str]:
    """One YAML value as text: a hostile scalar or collection, deep nesting, a long or
    random string, an alias fan-out."""
    return st.one_of(
        st.sampled_from(SCALARS),
        st.integers(1, depth).map(lambda d: "[" * d + "]" * d),
        st.integers(1, depth).map(lambda d: "{a: " * d + "1" + "}" * d),
        st.integers(1, length).map(lambda n: '"' + "x" * n + '"'),
        st.text(max_size=40).map(lambda s: yaml.safe_dump(s, width=10**9).splitlines()[0]),
        st.integers(-(2**70), 2**70).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.tuples(st.integers(1, 4), st.integers(1, 4)).map(lambda t: _bomb(*t)),
    )


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in the example: mapping keys and list indices, leaves and subtrees."""
    out = []
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        out.append((*prefix, key))
        if isinstance(value, dict | list) and value:
            out.extend(_paths(value, (*prefix, key)))
    return out


PATHS = _paths(EXAMPLE)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def flow_yaml(doc: Any) -> str:
    """``doc`` as one YAML flow mapping on one line (libyaml's emitter when there is one)."""
    return yaml.dump(doc, Dumper=DUMPER, default_flow_style=True, width=10**9,
                     allow_unicode=True)  # fmt: skip


def _at(doc: Any, path: tuple) -> Any:
    for key in path:
        doc = doc[key]
    return doc


MAPPINGS = [()] + [p for p in PATHS if isinstance(_at(EXAMPLE, p), dict)]


@st.composite
def hostile_files(draw, depth: int = 50, length: int = 2_000) -> tuple[str, list[str]]:
    """A mutated example as YAML text, and ``--set`` arguments (usually none)."""
    doc = copy.deepcopy(EXAMPLE)
    marks: dict[str, str] = {}

    def mark(snippet: str) -> str:
        name = f"HOSTILE{len(marks)}Q"
        marks[name] = snippet
        return name

    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["value", "value", "value", "delete", "add", "key"]))
        if op in ("value", "delete", "key"):
            path = draw(st.sampled_from(PATHS))
            try:
                parent = _at(doc, path[:-1])
                parent[path[-1]]  # noqa: B018 - an earlier mutation may have removed it
            except (KeyError, IndexError, TypeError):
                continue
            if op == "value":
                parent[path[-1]] = mark(draw(snippets(depth, length)))
            elif op == "delete":
                del parent[path[-1]]
            elif isinstance(parent, dict):
                parent[mark(draw(snippets(depth, length)))] = parent.pop(path[-1])
        else:
            try:
                target = _at(doc, draw(st.sampled_from(MAPPINGS)))
            except (KeyError, IndexError, TypeError):
                continue
            if isinstance(target, dict):
                key = draw(st.sampled_from(["extra", "units", "officers", "dist", "extends"]))
                target[key] = mark(draw(snippets(depth, length)))
    text = flow_yaml(doc)
    for name, snippet in marks.items():
        text = text.replace(name, snippet, 1)
    sets: list[str] = []
    if draw(st.integers(0, 9)) == 0:
        path = draw(st.sampled_from(PATHS))
        dotted = ".".join(str(p) for p in path)
        sets = ["--set", f"{dotted}={draw(snippets(depth, length))}"]
    return text, sets


def validate(text: str, sets: list[str]) -> tuple[int | str | None, str, str]:
    """``enforcement-sim validate`` on ``text`` (next to the example's region CSV):
    exit status, stderr, and the traceback of any exception that escaped."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scenario.yaml"
        path.write_text(text, encoding="utf-8")
        shutil.copy(CSV, Path(tmp) / CSV.name)
        err = io.StringIO()
        escaped = ""
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                rc: int | str | None = main(["validate", str(path), *sets])
            except SystemExit as exit_:  # argparse usage errors exit through SystemExit
                rc = exit_.code
            except BaseException:  # noqa: BLE001 - any escape breaks the contract
                rc, escaped = None, traceback.format_exc()
    return rc, err.getvalue(), escaped


def check_contract(text: str, sets: list[str]) -> None:
    rc, err, escaped = validate(text, sets)
    shown = f"\n--- file ---\n{text[:3000]}\n--- set: {sets}\n--- stderr ---\n{err[:2000]}"
    assert not escaped, f"an exception escaped main():\n{escaped[-3000:]}{shown}"
    assert "Traceback" not in err, shown
    if rc == 0:
        assert err == "", shown
        return
    assert rc == 2, f"exit status {rc!r}{shown}"
    assert err.endswith("\n") and err.count("\n") == 1, f"not exactly one line{shown}"
    assert err.startswith(("error: ", "enforcement-sim: error: ")), shown


SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                HealthCheck.data_too_large, HealthCheck.filter_too_much])  # fmt: skip


@settings(max_examples=100, **SETTINGS)
@given(case=hostile_files())
def test_hostile_yaml_gets_one_line_or_passes(case):
    check_contract(*case)


@pytest.mark.slow
@settings(max_examples=1500, **SETTINGS)
@given(case=hostile_files(depth=3_000, length=200_000))
def test_hostile_yaml_gets_one_line_or_passes_deeper(case):
    check_contract(*case)


@pytest.mark.parametrize(
    "snippet", ["yes", "1:30", "1e308", ".nan", "&x [1, *x]", "*undefined", _bomb(4, 4)]
)
def test_the_generator_reaches_the_reader_as_text(snippet):
    """The markers are replaced by the snippets verbatim: what the reader sees is YAML
    text a Python value could not produce (the property would test nothing otherwise)."""
    doc = dict(EXAMPLE, seed="HOSTILE0Q")
    text = flow_yaml(doc)
    assert "seed: HOSTILE0Q" in text
    text = text.replace("HOSTILE0Q", snippet, 1)
    rc, err, escaped = validate(text, [])
    assert not escaped and rc == 2, err
    assert ": seed: " in err or ": line " in err, err
