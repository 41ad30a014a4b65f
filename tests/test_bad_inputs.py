"""The bad-input corpus: every way a user can get a scenario wrong ends as one line.

The contract (``sim/cli.py``): bad input of any kind is printed as exactly one
line on stderr, ``error: <file>: <field.path>: <message>``, the command exits
with status 2, and no traceback is ever shown.

Each case lives in a file ``tests/bad_inputs/*.yaml`` (``cases.yaml`` and one file
per family; ids are unique across files) as a small mutation of the
valid example ``scenarios/examples/pujiang_squadrons.yaml`` (and its region
CSV), together with the exact line it must produce. In that line ``{file}``
stands for the scenario file written for the case and ``{dir}`` for the folder
it is written to. Cases run in-process through ``sim.cli.main`` (fast); a few
run as a real ``python -m sim`` subprocess at the end.

Case keys (all optional except ``id``, ``about`` and ``expected``/``xfail``):

``set``          dotted path -> value, applied to the example as a dict
                 (integers index lists, one past the end appends; missing
                 mappings are created)
``delete``       dotted paths to remove from the example
``yaml``         the scenario file's whole text, instead of the example
``yaml_replace`` ``[old, new]`` pairs applied to the example's text (keeps its
                 comments and line numbers)
``encoding``     encoding to write the scenario file in (default utf-8)
``csv``          the region CSV's whole text, instead of the example's
``csv_replace``  ``[old, new]`` pairs applied to the example CSV's text
``csv_long_cell`` make Yantou's ``name_zh`` cell this many characters long
``files``        extra files (name -> text) written next to the scenario
                 (``{example}`` stands for the example scenario's path)
``argv``         the command line (default ``[validate, "{file}"]``)
``names``        what the line must name as its file (default ``"{file}"``;
                 ``null`` for command-line usage errors, which name no file)
``field``        the field path (or option) the line must contain, as one whole
                 component: ``...: <field>: <message>``
``forbid``       substrings the line must not contain
``repeat``       ``token -> [text, count]``: each token in the scenario text, the CSV
                 text and the command line stands for ``text`` repeated ``count``
                 times (deep nesting, huge files, alias bombs stay short here)
``symlinks``     symbolic links (name -> target) made next to the scenario
``fifos``        names of FIFOs (named pipes) made next to the scenario
``extends_chain`` write this many files ``chain_<i>.yaml``, each extending the next,
                 the last one the example; the scenario then is the first of them
``expected``     the exact stderr line
``note``         a remark on the message's quality (the line meets the contract
                 but could say more)
``ok``           the input is *valid* (e.g. YAML 1.2 reads it as meant, where YAML 1.1
                 read a number or a boolean): the command exits 0 with nothing on
                 stderr, and its stdout contains every string of ``stdout``
``stdout``       strings the output of an ``ok`` case must contain
``xfail``        a known defect in ``sim``: the case is marked
                 ``xfail(strict=True)`` and checked only against the contract
                 (``field``, ``names``, ``forbid``); ``actual`` records today's
                 output for the reader
"""

from __future__ import annotations

import copy
import functools
import os
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any

import pytest
import yaml

from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "scenarios" / "examples"
EXAMPLE_YAML = EXAMPLES / "pujiang_squadrons.yaml"
EXAMPLE_CSV = EXAMPLES / "pujiang_townships.csv"
CASES_DIR = Path(__file__).resolve().parent / "bad_inputs"
SCENARIO_NAME = "scenario.yaml"
CASE_KEYS = {
    "id",
    "about",
    "set",
    "delete",
    "yaml",
    "yaml_replace",
    "encoding",
    "csv",
    "csv_replace",
    "csv_long_cell",
    "files",
    "argv",
    "names",
    "field",
    "forbid",
    "repeat",
    "symlinks",
    "fifos",
    "extends_chain",
    "expected",
    "ok",
    "stdout",
    "xfail",
    "actual",
    "note",
}


def load_cases() -> list[dict[str, Any]]:
    """Every case of every corpus file, in file-name order (each file is a list of cases)."""
    cases: list[dict[str, Any]] = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        cases.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return cases


CASES = load_cases()


# --- building a case on disk -----------------------------------------------------


@functools.cache
def _example() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE_YAML.read_text(encoding="utf-8"))


def _key(node: Any, part: str) -> Any:
    return int(part) if isinstance(node, list) else part


def _set(raw: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    node: Any = raw
    for part in parts[:-1]:
        key = _key(node, part)
        if isinstance(node, dict) and not isinstance(node.get(key), dict | list):
            node[key] = {}
        node = node[key]
    key = _key(node, parts[-1])
    if isinstance(node, list) and key == len(node):
        node.append(None)  # one past the end appends
    node[key] = copy.deepcopy(value)


def _delete(raw: dict[str, Any], dotted: str) -> None:
    parts = dotted.split(".")
    node: Any = raw
    for part in parts[:-1]:
        node = node[_key(node, part)]
    del node[_key(node, parts[-1])]


def _replace(text: str, pairs: list[list[str]], what: str) -> str:
    for old, new in pairs:
        assert old in text, f"{what}: {old!r} is not in the example"
        text = text.replace(old, new, 1)
    return text


def _fill(text: str, tmp_path: Path) -> str:
    return text.replace("{file}", str(tmp_path / SCENARIO_NAME)).replace("{dir}", str(tmp_path))


def _repeat(text: str, case: dict[str, Any]) -> str:
    for token, (piece, count) in (case.get("repeat") or {}).items():
        text = text.replace(token, piece * count)
    return text


def materialise(case: dict[str, Any], tmp_path: Path) -> list[str]:
    """Write the case's scenario, region CSV and extra files; return its command line."""
    if "yaml" in case:
        text = case["yaml"]
    elif "yaml_replace" in case:
        text = _replace(EXAMPLE_YAML.read_text(encoding="utf-8"), case["yaml_replace"], "yaml")
    else:
        raw = copy.deepcopy(_example())
        for dotted in case.get("delete", []):
            _delete(raw, dotted)
        for dotted, value in (case.get("set") or {}).items():
            _set(raw, dotted, value)
        text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
    if "extends_chain" in case:
        n = case["extends_chain"]
        for i in range(1, n + 1):
            base = f"chain_{i + 1}.yaml" if i < n else str(EXAMPLE_YAML)
            (tmp_path / f"chain_{i}.yaml").write_text(f"extends: {base}\n", encoding="utf-8")
        text = "extends: chain_1.yaml\n"
    text = _repeat(text, case)
    (tmp_path / SCENARIO_NAME).write_text(text, encoding=case.get("encoding", "utf-8"))

    csv = case.get("csv")
    if csv is None:
        csv = _replace(EXAMPLE_CSV.read_text(encoding="utf-8"), case.get("csv_replace", []), "csv")
    if "csv_long_cell" in case:
        csv = _replace(csv, [["Yantou,岩头镇", "Yantou," + "x" * case["csv_long_cell"]]], "csv")
    (tmp_path / EXAMPLE_CSV.name).write_text(_repeat(csv, case), encoding="utf-8")

    for name, body in (case.get("files") or {}).items():
        body = _repeat(body.replace("{example}", str(EXAMPLE_YAML)), case)
        (tmp_path / name).write_text(body, encoding="utf-8")
    for name, target in (case.get("symlinks") or {}).items():
        (tmp_path / name).symlink_to(_fill(target, tmp_path))
    for name in case.get("fifos", []):
        os.mkfifo(tmp_path / name)
    argv = case.get("argv", ["validate", "{file}"])
    return [_repeat(_fill(arg, tmp_path), case) for arg in argv]


def invoke(argv: list[str]) -> int:
    """``enforcement-sim argv`` in-process: the exit status, as the shell would see it.

    An exception escaping ``main`` is what a user would see as a traceback, so it
    is printed to stderr (as the interpreter would) and becomes status 1.
    """
    try:
        return main(argv)
    except SystemExit as exc:  # argparse usage errors
        return 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 1
    except Exception:  # the point is to see anything that escapes
        traceback.print_exc()
        return 1


def check_contract(case: dict[str, Any], rc: int, err: str, tmp_path: Path) -> str:
    """Exit 2, one non-empty line, no traceback, naming the file and the field; the line."""
    assert "Traceback" not in err, err
    assert rc == 2, f"exit status {rc}, stderr: {err!r}"
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].strip(), f"want one stderr line, got {err!r}"
    line = lines[0]
    names = case.get("names", "{file}")
    if names is not None:
        assert _fill(names, tmp_path) in line, f"{line!r} does not name {names}"
    if case.get("field"):
        # the field is one whole component of the line: "...: <field>: message"
        assert f": {case['field']}:" in line, f"{line!r} lacks the field {case['field']!r}"
    for bad in case.get("forbid", []):
        assert bad not in line, f"{line!r} contains {bad!r}"
    return line


def _params() -> list[Any]:
    out = []
    for case in CASES:
        marks = []
        if case.get("ok"):
            continue
        if case.get("xfail"):
            marks.append(pytest.mark.xfail(strict=True, reason=case["xfail"]))
        out.append(pytest.param(case, id=case["id"], marks=marks))
    return out


def _valid_params() -> list[Any]:
    return [pytest.param(case, id=case["id"]) for case in CASES if case.get("ok")]


# --- the corpus ----------------------------------------------------------------------


def test_corpus_is_well_formed():
    ids = [c["id"] for c in CASES]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"case ids must be unique across tests/bad_inputs/*.yaml: {dupes}"
    assert len(CASES) >= 40
    for case in CASES:
        assert set(case) <= CASE_KEYS, f"{case['id']}: unknown keys {set(case) - CASE_KEYS}"
        assert case.get("about"), f"{case['id']}: say what the case is about"
        given = [k for k in ("expected", "xfail", "ok") if case.get(k) is not None]
        assert len(given) == 1, (
            f"{case['id']}: give one of the expected line, an xfail reason or ok: true"
        )
        assert "stdout" not in case or case.get("ok"), f"{case['id']}: stdout is for ok cases"


@pytest.mark.parametrize("case", _params())
def test_bad_input_gives_one_line_and_exit_2(case, tmp_path, capsys):
    argv = materialise(case, tmp_path)
    rc = invoke(argv)
    err = capsys.readouterr().err
    line = check_contract(case, rc, err, tmp_path)
    if "expected" in case:
        assert line == _repeat(_fill(case["expected"], tmp_path), case)


@pytest.mark.parametrize("case", _valid_params())
def test_valid_counterpart_runs(case, tmp_path, capsys):
    """The valid twin of a family of bad inputs: read as meant, it runs without a word."""
    argv = materialise(case, tmp_path)
    rc = invoke(argv)
    out, err = capsys.readouterr()
    assert (rc, err) == (0, ""), f"exit status {rc}, stderr: {err!r}"
    for text in case.get("stdout", []):
        assert _fill(text, tmp_path) in out, f"{text!r} not in the output {out!r}"


# --- as a real command ---------------------------------------------------------------

SUBPROCESS_CASES = {
    # case id in cases.yaml -> the command line run for it (replacing its argv)
    "yaml-syntax-error": ["validate", "{file}"],
    "unknown-nested-key": ["run", "{file}", "--out", "{dir}/out", "--quiet"],
    "cli-replications-zero": ["run", "{file}", "--out", "{dir}/out", "--replications", "0"],
}


def _pythonpath() -> list[str]:
    return [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]


@pytest.fixture(scope="module", autouse=True)
def subprocess_runs(tmp_path_factory):
    """Start every subprocess case when the module starts (each pays ~1 s of imports), so
    they run alongside the in-process cases; the subprocess tests collect them."""
    started = {}
    for case_id, argv in SUBPROCESS_CASES.items():
        case = next(c for c in CASES if c["id"] == case_id)
        folder = tmp_path_factory.mktemp(case_id)
        materialise(case, folder)
        proc = subprocess.Popen(
            [sys.executable, "-m", "sim", *(_fill(a, folder) for a in argv)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=folder,
            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *_pythonpath()])},
        )
        started[case_id] = (case, folder, proc)
    yield started
    for _, _, proc in started.values():
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


@pytest.mark.parametrize("case_id", list(SUBPROCESS_CASES))
def test_bad_input_as_a_subprocess(case_id, subprocess_runs):
    case, folder, proc = subprocess_runs[case_id]
    _, err = proc.communicate(timeout=60)
    rc = proc.returncode
    line = check_contract(case, rc, err, folder)
    assert line == _fill(case["expected"], folder)
    assert not (folder / "out").exists(), "nothing may be written for bad input"
