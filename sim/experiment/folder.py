"""A results folder that cannot be hurt: one writer at a time, files replaced whole,
never written through a symlink, and never a folder of the user's own files.

Two runs into one ``--out`` would otherwise interleave their run stores and tables;
with the lock the second waits (saying so) and then finds every run already stored,
so both end with the same complete tables. Waiting rather than refusing is what a
user who started the same command twice wants, and what a batch script relies on.
Every file is written beside its final name and renamed over it: a reader, a killed
process or a racing writer sees the old file or the new one, never half of one, and a
symlink at the final name is replaced, not followed to a file outside the folder.
Saved YAML is read back as scenario files are (YAML 1.2, ``reading.parse_yaml``), so it
is written for that reader: a string it would take for a number (``1e3``, ``0o10``) or
anything else is quoted, whatever PyYAML's own YAML 1.1 rules make of it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

from ..errors import ScenarioError

try:  # POSIX; elsewhere runs are not locked against each other
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = ".enforcement-sim.lock"
# what marks a folder as written by enforcement-sim (a killed first run may leave only runs/)
MARKERS = ("manifest.json", "runs")
SUBFOLDERS = ("runs", "variants", "figures")
HINT = "choose an empty or new folder, or pass --overwrite (overwrite=True) to write into it"
# what write_file leaves behind when killed between creating its file and the rename:
# ".<final name>.<8 random characters from mkstemp>.tmp"
TEMP_FILE = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
STR_TAG = "tag:yaml.org,2002:str"
_READER = VersionedResolver(version=(1, 2))  # the resolver parse_yaml reads with
_BREAKS = "\x85\u2028\u2029"  # Unicode line breaks that PyYAML would write unescaped


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, quoting every string the YAML 1.2 reader would not read as
    that string (PyYAML quotes only what its YAML 1.1 rules would misread)."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if any(c in value for c in _BREAKS):  # written raw, the reader would take a line break
        return dumper.represent_scalar(STR_TAG, value, style='"')  # escaped: \N \L \P
    plain = _READER.resolve(ScalarNode, value, (True, False)) == STR_TAG
    return dumper.represent_scalar(STR_TAG, value, style=None if plain else "'")


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """``data`` as YAML that ``reading.parse_yaml`` reads back as ``data``."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True)


def write_file(path: Path, data: str | bytes | Callable[[Path], object]) -> None:
    """Write ``data`` (text, bytes, or a function writing the file it is given) to a
    temporary file beside ``path``, then rename it over ``path``."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, str):
                fh.write(data.encode("utf-8"))
            elif isinstance(data, bytes):
                fh.write(data)
        if callable(data):
            data(tmp)
        os.chmod(tmp, 0o666 & ~UMASK)  # as a plain open() would have made it
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def make_folder(path: Path) -> Path:
    """``path`` as a real folder (created if missing); a symlink there is refused, so
    nothing is written outside the results folder through it."""
    if path.is_symlink():
        raise ScenarioError("--out", f"{path.name} is a symlink; refusing to write through it",
                            str(path))  # fmt: skip
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ScenarioError("--out", "expected a folder, found a file", str(path)) from None
    return path


def is_results_folder(folder: Path) -> bool:
    """Empty, or written by enforcement-sim (a run, comparison, sweep or staffing search)."""
    entries = [p.name for p in folder.iterdir()] if folder.is_dir() else []
    return not [e for e in entries if e != LOCK_FILE] or any(m in entries for m in MARKERS)


def read_saved(path: Path, reader: Callable[[Path], Any]) -> Any:
    """``reader(path)`` for a file of a saved folder, or one clear error naming the file
    when it is missing or damaged (truncated, empty, not what it should be)."""
    try:
        return reader(path)
    except FileNotFoundError:
        raise ScenarioError("", "missing from the results folder", str(path)) from None
    except (OSError, ValueError, yaml.YAMLError, pa.ArrowException) as err:
        lines = str(err).strip().splitlines()
        why = getattr(err, "strerror", None) or (lines[0] if lines else type(err).__name__)
        raise ScenarioError("", f"damaged or unreadable ({why})",
                            str(path)) from None  # fmt: skip


@contextlib.contextmanager
def results_folder(folder: Path | None, overwrite: bool = False) -> Iterator[None]:
    """Hold ``folder`` for one experiment: refuse a folder of someone else's files (unless
    ``overwrite``) or symlinked subfolders, take the lock (waiting for another run that
    holds it), and clear what a killed run left half-written."""
    if folder is None:
        yield
        return
    folder = Path(folder)
    try:
        if folder.exists() and not folder.is_dir():
            raise ScenarioError("--out", "expected a folder, found a file", str(folder))
        if not overwrite and not is_results_folder(folder):
            raise ScenarioError(
                "--out", f"not an enforcement-sim results folder (it holds other files); {HINT}",
                str(folder),
            )  # fmt: skip
        folder.mkdir(parents=True, exist_ok=True)
        for name in SUBFOLDERS:
            if (folder / name).is_symlink():
                make_folder(folder / name)  # raises
        with _locked(folder):
            _clean(folder / "runs")
            for where in (folder, *(folder / name for name in SUBFOLDERS)):
                _clean_temp_files(where)
            yield
    except PermissionError as err:
        raise ScenarioError(
            "--out", f"cannot write results ({err.strerror})", err.filename or str(folder)
        ) from None


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(folder / LOCK_FILE, flags, 0o666)
    except OSError as err:
        if isinstance(err, PermissionError):
            raise
        raise ScenarioError("--out", f"cannot lock the folder ({err.strerror})",
                            str(folder / LOCK_FILE)) from None  # fmt: skip
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                who = f" (pid {holder})" if holder.isdigit() else ""
                print(f"waiting for another run writing to {folder}{who} to finish",
                      file=sys.stderr, flush=True)  # fmt: skip
                fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _clean(runs: Path) -> None:
    """Remove the temporary files of runs that a killed process left unfinished: safe
    under the lock, as no other experiment writes to this store."""
    if not runs.is_dir():
        return
    for p in runs.iterdir():
        if p.name.startswith(".") and p.name.endswith((".tmp", ".err")):
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)


@contextlib.contextmanager
def reading_folder(folder: Path) -> Iterator[None]:
    """Hold a saved results folder while a report reads it and writes its pages: a run
    into it is waited for (saying so), and none starts until the report is done."""
    folder = Path(folder)
    if not folder.is_dir() or folder.is_symlink():
        what = "a symlink" if folder.is_symlink() else "not a results folder (no such folder)"
        raise ScenarioError("", what, str(folder))
    if not any((folder / m).exists() for m in MARKERS):  # no lock file among a user's files:
        yield  # the reader says what is missing
        return
    try:
        with _locked(folder):
            yield
    except PermissionError as err:
        raise ScenarioError(
            "", f"cannot use the results folder ({err.strerror})", err.filename or str(folder)
        ) from None


def _clean_temp_files(folder: Path) -> None:
    """Remove the temporary files of writes a killed process left (``write_file``'s own
    pattern only, regular files only: a user's files are never touched)."""
    if not folder.is_dir() or folder.is_symlink():
        return
    for p in folder.iterdir():
        if TEMP_FILE.fullmatch(p.name) and p.is_file() and not p.is_symlink():
            p.unlink(missing_ok=True)


def _umask() -> int:
    """The process's umask, read once at import (reading it means setting it, which is
    not safe once threads write files)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


UMASK = _umask()
