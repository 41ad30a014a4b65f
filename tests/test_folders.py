"""Results folders that cannot be hurt: concurrent runs, killed parents, Ctrl-C, other
people's files, symlinks, region files of the same name, and damaged folders."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import EXAMPLE, EXAMPLES

import sim
from sim.cli import main
from sim.errors import ScenarioError
from sim.experiment import folder as folder_module
from sim.experiment.folder import LOCK_FILE, results_folder
from sim.experiment.store import RUN_TABLES, RunStore
from sim.scenario import load_scenario

SHORT = ["horizon_days=60", "warmup_days=10"]
SETS = [arg for s in SHORT for arg in ("--set", s)]
FORK = multiprocessing.get_context("fork")


def run_args(out: Path, *extra: str, replications: int = 2) -> list[str]:
    return ["run", str(EXAMPLE), "--out", str(out), "--replications", str(replications),
            "--jobs", "1", "--quiet", *SETS, *extra]  # fmt: skip


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0], err
    return err[0]


# ------------------------------------------------------------------ concurrent runs


def _run_into(out: Path, dump: Path) -> None:
    """In a forked process: one run into ``out``; its own table goes to ``dump``."""
    res = sim.run(EXAMPLE, replications=3, overrides=SHORT, jobs=1, out=out)
    res.summary_by_replication.to_pickle(dump)


def concurrent_identical_runs(tmp_path: Path, attempts: int) -> None:
    reference = sim.run(EXAMPLE, replications=3, overrides=SHORT, jobs=1, out=tmp_path / "ref")
    expected = (tmp_path / "ref" / "summary_by_replication.csv").read_bytes()
    for attempt in range(attempts):
        out = tmp_path / f"out{attempt}"
        dumps = [tmp_path / f"{attempt}-{i}.pkl" for i in (0, 1)]
        procs = [FORK.Process(target=_run_into, args=(out, d)) for d in dumps]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert [p.exitcode for p in procs] == [0, 0], f"attempt {attempt}"
        for d in dumps:  # each run's own tables: every replication, the same values
            pd.testing.assert_frame_equal(pd.read_pickle(d), reference.summary_by_replication)
        assert (out / "summary_by_replication.csv").read_bytes() == expected, f"attempt {attempt}"
        stored = list((out / "runs").iterdir())
        assert len(stored) == 3 and all((p / "done").exists() for p in stored)


def test_two_concurrent_identical_runs_end_with_complete_identical_tables(tmp_path):
    concurrent_identical_runs(tmp_path, 3)


@pytest.mark.slow
def test_two_concurrent_identical_runs_twenty_times(tmp_path):
    concurrent_identical_runs(tmp_path, 20)


def test_a_writer_that_loses_the_race_for_a_run_keeps_the_one_saved(tmp_path, monkeypatch):
    """The run store without the folder's lock (a retried task, a shared store): another
    writer renames the same run into place just before this one does (same key, same
    content); this writer keeps that run, drops its own copy and does not fail."""
    tables = {t: pd.DataFrame({"replication": [0, 1], "value": [1.5, 2.5]}) for t in RUN_TABLES}
    store, real_replace = RunStore(tmp_path / "runs"), os.replace
    raced = []

    def other_writer_first(src, dst):
        if not raced and Path(dst).name == "k":
            raced.append(dst)
            monkeypatch.setattr(os, "replace", real_replace)
            RunStore(tmp_path / "runs").save("k", tables)  # the other writer, whole
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", other_writer_first)
    store.save("k", tables)
    assert raced, "the race must happen for the test to mean anything"
    assert [p.name for p in store.folder.iterdir()] == ["k"], "no temporary folder is left"
    got = store.get("k")
    assert got is not None and all(got[t].equals(tables[t]) for t in RUN_TABLES)


def test_a_partial_run_folder_is_replaced_by_a_whole_one(tmp_path):
    store = RunStore(tmp_path / "runs")
    (store.folder / "k").mkdir(parents=True)
    (store.folder / "k" / "incidents.parquet").write_bytes(b"half")  # no "done" marker
    tables = {t: pd.DataFrame({"value": [1.0]}) for t in RUN_TABLES}
    store.save("k", tables)
    got = store.get("k")
    assert got is not None and got["incidents"].equals(tables["incidents"])
    assert [p.name for p in store.folder.iterdir()] == ["k"]


def _run_cli(argv: list[str], err: Path) -> None:
    with open(err, "w") as fh:
        os.dup2(fh.fileno(), 2)
        sys.stderr = os.fdopen(2, "w", closefd=False)
        os._exit(main(argv))


def _hold(out: Path, held, release) -> None:
    with results_folder(out):
        held.set()
        release.wait(60)


def test_a_second_run_into_a_held_folder_waits_and_says_so(tmp_path):
    """The folder is held by another process (a lock taken in this one would be shared
    with a process forked from it)."""
    out, err = tmp_path / "out", tmp_path / "err.txt"
    held, release = FORK.Event(), FORK.Event()
    holder = FORK.Process(target=_hold, args=(out, held, release))
    holder.start()
    try:
        assert held.wait(30)
        proc = FORK.Process(target=_run_cli, args=(run_args(out), err))
        proc.start()
        deadline = time.monotonic() + 30
        while "waiting" not in (err.read_text() if err.exists() else ""):
            assert time.monotonic() < deadline and proc.is_alive(), "the second run never waited"
            time.sleep(0.05)
        time.sleep(0.3)
        assert proc.is_alive() and not (out / "manifest.json").exists()
    finally:
        release.set()
        holder.join(30)
    proc.join(60)
    assert proc.exitcode == 0
    line = err.read_text().strip()
    assert line.startswith("waiting for another run writing to") and str(out) in line
    assert f"pid {holder.pid}" in line
    assert (out / "manifest.json").exists()


# ---------------------------------------------------------- killed parents, Ctrl-C


def _children(pid: int) -> list[int]:
    kids = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                stat = (p / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(p.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _ctrl_c_as_in_a_terminal() -> None:
    """A command started in the background of a non-interactive shell (as CI may start
    this suite) inherits SIGINT ignored, and Python then never raises KeyboardInterrupt;
    a command typed in a terminal has the default, which is what this test is about."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_killed_or_interrupted_run_leaves_no_live_worker(tmp_path):
    """Three runs with two workers each, at once: SIGKILL and SIGTERM to the parent alone;
    SIGINT to the whole process group, as Ctrl-C in a terminal (one line, exit 130)."""
    signals = (signal.SIGKILL, signal.SIGTERM, signal.SIGINT)
    logs = [tmp_path / f"{sig.name}.err" for sig in signals]  # not pipes: a live worker
    procs = []  # would hold a pipe open, and the test would hang instead of failing
    for sig, log in zip(signals, logs, strict=True):
        with open(log, "wb") as err:
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "sim", "run", str(EXAMPLE), "--replications", "200",
                 "--jobs", "2", "--quiet", "--out", str(tmp_path / sig.name)],
                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
                preexec_fn=_ctrl_c_as_in_a_terminal,
            ))  # fmt: skip
    workers: dict[signal.Signals, list[int]] = {}
    try:
        deadline = time.monotonic() + 90
        for sig, proc in zip(signals, procs, strict=True):
            while len(kids := _children(proc.pid)) < 2:
                assert time.monotonic() < deadline and proc.poll() is None, "no workers started"
                time.sleep(0.05)
            workers[sig] = kids
        time.sleep(0.3)  # the workers are running replications
        for sig, proc in zip(signals, procs, strict=True):
            if sig == signal.SIGINT:
                os.killpg(proc.pid, sig)
            else:
                proc.send_signal(sig)
        for proc in procs:
            proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        every = [w for kids in workers.values() for w in kids]
        while any(_alive(w) for w in every) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert {sig.name: [w for w in workers[sig] if _alive(w)] for sig in signals} == {
            sig.name: [] for sig in signals
        }, "workers outlived their parent"
    finally:  # nothing of this test outlives it, whatever failed
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
        for pid in [w for kids in workers.values() for w in kids if _alive(w)]:
            os.kill(pid, signal.SIGKILL)
    assert [p.returncode for p in procs] == [-signal.SIGKILL, -signal.SIGTERM, 130]
    assert logs[2].read_text().splitlines() == ["interrupted (rerun the same command to resume)"]


def test_ctrl_c_in_a_serial_run_is_one_line_and_exit_130(tmp_path, monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("sim.experiment.experiment.run_tables", interrupted)
    assert main(run_args(tmp_path / "out")) == 130
    assert one_error_line(capsys) == "interrupted (rerun the same command to resume)"


# ------------------------------------------------------------- unwritable folders


def test_an_out_under_a_file_is_one_line(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    assert main(run_args(tmp_path / "file" / "out")) == 2
    line = one_error_line(capsys)
    assert line.startswith("error: --out: cannot write results to") and "file" in line


def test_a_permission_error_on_out_is_one_line(tmp_path, monkeypatch, capsys):
    def denied(folder):
        raise PermissionError(13, "Permission denied", str(folder / LOCK_FILE))

    monkeypatch.setattr(folder_module, "_locked", denied)
    out = tmp_path / "out"
    assert main(run_args(out)) == 2
    assert one_error_line(capsys) == (
        f"error: {out / LOCK_FILE}: --out: cannot write results (Permission denied)"
    )


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_out_is_one_line(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        assert main(run_args(out)) == 2
    finally:
        out.chmod(0o700)
    assert "Permission denied" in one_error_line(capsys)


# ------------------------------------------------------- other files and symlinks


def test_a_folder_of_other_files_is_refused_unless_overwrite(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "summary.csv").write_text("my own table\n")
    assert main(run_args(out)) == 2
    line = one_error_line(capsys)
    assert line.startswith(f"error: {out}: --out: not an enforcement-sim results folder")
    assert "--overwrite" in line
    assert [p.name for p in out.iterdir()] == ["summary.csv"]
    assert (out / "summary.csv").read_text() == "my own table\n"
    with pytest.raises(ScenarioError, match="not an enforcement-sim results folder"):
        sim.run(EXAMPLE, replications=1, overrides=SHORT, out=out)
    assert main([*run_args(out), "--overwrite"]) == 0
    assert (out / "manifest.json").exists()


def test_an_empty_folder_and_a_results_folder_are_accepted(tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    assert main(run_args(out)) == 0
    assert main(run_args(out, replications=3)) == 0  # into its own results
    assert json.loads((out / "manifest.json").read_text())["runs_reused"] == 2


def test_symlinks_inside_out_are_replaced_not_followed(tmp_path):
    out, outside = tmp_path / "out", tmp_path / "precious.csv"
    out.mkdir()
    assert main(run_args(out)) == 0
    outside.write_text("do not touch\n")
    (out / "summary.csv").unlink()
    (out / "summary.csv").symlink_to(outside)
    assert main(run_args(out)) == 0
    assert outside.read_text() == "do not touch\n"
    assert not (out / "summary.csv").is_symlink() and (out / "summary.csv").stat().st_size > 100


def test_a_symlinked_subfolder_of_out_is_refused(tmp_path, capsys):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    assert main(run_args(out)) == 0
    shutil.rmtree(out / "runs")
    (out / "runs").symlink_to(elsewhere)
    capsys.readouterr()
    assert main(run_args(out)) == 2
    assert "runs is a symlink" in one_error_line(capsys)
    assert list(elsewhere.iterdir()) == []


def test_compared_scenarios_keep_their_own_region_files(tmp_path):
    """Two scenarios whose region tables share a file name: each saved variant re-runs
    its own region."""
    a, b = tmp_path / "a", tmp_path / "b"
    for where in (a, b):
        where.mkdir()
        shutil.copy(EXAMPLE, where / "pujiang.yaml")
    shutil.copy(EXAMPLES / "pujiang_townships.csv", a / "pujiang_townships.csv")
    lines = (EXAMPLES / "pujiang_townships.csv").read_text().splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    weight = header.index("weight")
    changed = []
    for line in lines[1:]:
        cells = line.rstrip("\n").split(",")
        cells[weight] = str(float(cells[weight]) * 2 + 1)
        changed.append(",".join(cells) + "\n")
    (b / "pujiang_townships.csv").write_text(lines[0] + "".join(changed))
    for where, name in ((a, "first"), (b, "second")):
        text = (where / "pujiang.yaml").read_text()
        (where / "pujiang.yaml").write_text(
            text.replace("name: pujiang-squadrons", f"name: {name}")
        )
    out = tmp_path / "out"
    argv = ["compare", str(a / "pujiang.yaml"), str(b / "pujiang.yaml"), "--out", str(out),
            "--replications", "1", "--jobs", "1", "--quiet", "--no-report",
            *SETS]  # fmt: skip
    assert main(argv) == 0
    for where, name in ((a, "first"), (b, "second")):
        saved = load_scenario(out / "variants" / f"{name}.yaml")
        original = load_scenario(where / "pujiang.yaml")
        assert saved.townships == original.townships
    assert (
        load_scenario(out / "variants" / "first.yaml").townships
        != load_scenario(out / "variants" / "second.yaml").townships
    )


def test_temporary_files_of_a_killed_run_are_cleaned_on_the_next_run(tmp_path):
    out = tmp_path / "out"
    assert main(run_args(out)) == 0
    runs = out / "runs"
    (runs / ".0123456789abcdef0123.x1y2.tmp").mkdir()
    (runs / ".0123456789abcdef0123.x1y2.tmp" / "incidents.parquet").write_bytes(b"half")
    (runs / ".0123456789abcdef0123.x1y2.err").write_text("{")
    assert main(run_args(out)) == 0
    assert not [p.name for p in runs.iterdir() if p.name.startswith(".")]


def test_temporary_files_outside_runs_are_cleaned_but_user_files_kept(tmp_path):
    """``write_file``'s own leftovers (``.<name>.<8 characters>.tmp``) anywhere in the
    folder go on the next run; files that only look alike stay."""
    out = tmp_path / "out"
    assert main(run_args(out)) == 0
    (out / "variants").mkdir()
    leftovers = [out / ".summary.csv.ab_12xyz.tmp", out / "variants" / ".a.yaml.k2j3h4g5.tmp"]
    kept = [out / ".notes.tmp", out / "draft.abcdefgh.tmp", out / ".summary.csv.ABCDEFGH.tmp"]
    for p in leftovers + kept:
        p.write_text("half")
    (out / ".dir.abcdefgh.tmp").mkdir()  # not a file write_file makes
    assert main(run_args(out)) == 0
    assert not [p for p in leftovers if p.exists()]
    assert all(p.exists() for p in kept) and (out / ".dir.abcdefgh.tmp").is_dir()


def _report_cli(folder: Path, err: Path) -> None:
    """In a forked process: ``report`` with the figures left out (the lock is the point)."""
    import sim.report

    sim.report.write_report = lambda folder, **kw: Path(folder) / "report.html"
    _run_cli(["report", str(folder)], err)


def test_a_report_waits_for_a_run_holding_the_folder(tmp_path):
    out, err = tmp_path / "out", tmp_path / "err.txt"
    assert main(run_args(out)) == 0
    held, release = FORK.Event(), FORK.Event()
    holder = FORK.Process(target=_hold, args=(out, held, release))
    holder.start()
    try:
        assert held.wait(30)
        proc = FORK.Process(target=_report_cli, args=(out, err))
        proc.start()
        deadline = time.monotonic() + 30
        while "waiting" not in (err.read_text() if err.exists() else ""):
            assert time.monotonic() < deadline and proc.is_alive(), "the report never waited"
            time.sleep(0.05)
        time.sleep(0.3)
        assert proc.is_alive()
    finally:
        release.set()
        holder.join(30)
    proc.join(60)
    assert proc.exitcode == 0
    assert err.read_text().strip().startswith(f"waiting for another run writing to {out}")


def test_a_report_on_a_missing_folder_is_one_line(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nope")]) == 2
    line = one_error_line(capsys)
    assert line == f"error: {tmp_path / 'nope'}: not a results folder (no such folder)"
    assert not (tmp_path / "nope").exists()


# ------------------------------------------------------------- damaged folders


@pytest.fixture(scope="module")
def compared(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("damaged") / "cmp"
    sim.compare([EXAMPLE, EXAMPLES / "pujiang_central.yaml"], replications=2, overrides=SHORT,
                jobs=1, out=out)  # fmt: skip
    return out


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


DAMAGE = {
    "manifest.json": _truncate,
    "incidents.parquet": _truncate,
    "summary.csv": lambda p: p.write_text(""),
    "summary_by_replication.csv": Path.unlink,
    "variants/pujiang-central.yaml": Path.unlink,
    "variants/pujiang-squadrons.yaml": lambda p: p.write_text("name: [unclosed\n"),
}


@pytest.mark.parametrize("damaged", list(DAMAGE))
def test_a_damaged_results_folder_is_one_line_naming_the_file(compared, tmp_path, damaged,
                                                              capsys):  # fmt: skip
    folder = tmp_path / "cmp"
    shutil.copytree(compared, folder)
    DAMAGE[damaged](folder / damaged)
    with pytest.raises(ScenarioError) as caught:
        sim.load_results(folder)
    assert caught.value.file == str(folder / damaged)
    assert main(["report", str(folder)]) == 2
    line = one_error_line(capsys)
    assert line.startswith(f"error: {folder / damaged}: ")
    assert "missing" in line or "damaged" in line


def test_a_rerun_recomputes_a_stored_run_whose_files_are_unreadable(tmp_path):
    out = tmp_path / "out"
    assert main(run_args(out, replications=3)) == 0
    before = (out / "summary_by_replication.csv").read_bytes()
    runs = sorted((out / "runs").iterdir())
    _truncate(runs[0] / "incidents.parquet")  # marked done, but half a file
    (runs[1] / "summary.parquet").unlink()
    assert main(run_args(out, replications=3)) == 0
    assert json.loads((out / "manifest.json").read_text())["runs_reused"] == 1
    assert (out / "summary_by_replication.csv").read_bytes() == before
    assert all(RunStore(out / "runs").get(p.name) is not None for p in runs)


def test_a_damaged_staffing_folder_is_one_line_naming_the_file(tmp_path, capsys):
    folder = tmp_path / "staffing"
    folder.mkdir()
    (folder / "staffing.csv").write_text("model,county,officers_needed\nstationed,Pujiang,4\n")
    (folder / "manifest.json").write_text('{"kind": "staff", "tar')
    assert main(["report", str(folder)]) == 2
    assert one_error_line(capsys).startswith(f"error: {folder / 'manifest.json'}: damaged")
    (folder / "manifest.json").write_text('{"kind": "staff", "target": "p90(response_h) <= 4"}')
    (folder / "staffing.csv").write_text("")
    with pytest.raises(ScenarioError) as caught:
        sim.load_staffing(folder)
    assert caught.value.file == str(folder / "staffing.csv")


def test_ctrl_c_ends_the_command_at_once_and_a_python_call_with_130(monkeypatch, capsys):
    """The command leaves by ``os._exit(130)`` right after its line, so no interpreter
    clean-up (joining a process pool's threads) can keep it alive; called from Python,
    ``main`` returns 130 and the caller's interpreter goes on."""
    import sim.cli as cli

    def interrupted(args):
        raise KeyboardInterrupt

    exits = []

    class Left(Exception):
        pass

    def leave(code):
        exits.append(code)
        raise Left

    monkeypatch.setattr(cli, "_run", interrupted)
    monkeypatch.setattr(cli.os, "_exit", leave)
    monkeypatch.setattr(sys, "argv", ["enforcement-sim", "run", str(EXAMPLE)])
    with pytest.raises(Left):
        cli.main()
    assert exits == [130]
    assert cli.main(["run", str(EXAMPLE)]) == 130 and exits == [130]
    assert capsys.readouterr().err.count("interrupted") == 2
