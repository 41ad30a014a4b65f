"""The run store: every finished run on disk the moment it ends, so nothing is lost.

A run is one (scenario variant, replication). Its key hashes the resolved
scenario, the seed, the replication and the package version, so a changed
scenario never reuses a stale result and a restarted experiment runs only what
is missing. Each run is written to a temporary folder and renamed into place —
atomic on POSIX — so a killed process leaves either a whole run or none (and its
temporary folder, which the next experiment into the folder removes).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pandas as pd
import pyarrow as pa

from ..model import RESULTS_REVISION
from .dataset import write_parts
from .folder import UMASK
from .manifest import package_version

RUN_TABLES = (
    "incidents", "inspections", "officers", "assignments", "grid", "summary", "timing",
)  # fmt: skip
OPTIONAL_TABLES = ("months",)
DATASETS = "datasets"  # a run's tables by county (``save(datasets=...)``)


def run_key(resolved_scenario: dict, seed: int, replication: int) -> str:
    text = json.dumps(
        {"scenario": resolved_scenario, "seed": seed, "replication": replication,
         "version": package_version(), "results_revision": RESULTS_REVISION},
        sort_keys=True,
    )  # fmt: skip
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


class RunStore:
    """Finished runs by key. Writers may race (two experiments sharing a folder without
    its lock, or a retried task): a run already saved under the same key is the same
    run, so the second writer keeps it and drops its own copy."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path(self, key: str) -> Path:
        return self.folder / key

    def has(self, key: str) -> bool:
        return (self.path(key) / "done").exists()

    def load(self, key: str, tables: tuple[str, ...] = RUN_TABLES) -> dict[str, pd.DataFrame]:
        """A stored run's ``tables`` (a batch of a partitioned run stores others)."""
        out = {t: pd.read_parquet(self.path(key) / f"{t}.parquet") for t in tables}
        for t in OPTIONAL_TABLES:  # a run with a monthly mechanism on has them
            if (self.path(key) / f"{t}.parquet").exists():
                out[t] = pd.read_parquet(self.path(key) / f"{t}.parquet")
        return out

    def get(self, key: str, tables: tuple[str, ...] = RUN_TABLES) -> dict[str, pd.DataFrame] | None:
        """The stored run, or None when it is missing or its files cannot be read (a
        damaged run is removed, so it is computed again and saved whole)."""
        if not self.has(key):
            return None
        try:
            return self.load(key, tables)
        except (OSError, ValueError, pa.ArrowException):
            self._discard(self.path(key))
            return None

    def save(
        self,
        key: str,
        tables: dict[str, pd.DataFrame],
        datasets: dict[str, pd.DataFrame] | None = None,
    ) -> None:
        """Store a run whole; ``datasets``: tables also written as folders by county
        (``datasets/<table>/county_code=<code>/``), for a partitioned run's results."""
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{key}.", suffix=".tmp", dir=self.folder))
        try:
            tmp.chmod(0o777 & ~UMASK)  # mkdtemp's folder is private; a run folder is not
            for name, df in tables.items():
                df.to_parquet(tmp / f"{name}.parquet", index=False)
            for name, df in (datasets or {}).items():
                write_parts(tmp / DATASETS / name, df)
            (tmp / "done").write_text("")
            final = self.path(key)
            for _ in range(3):
                if self.has(key):
                    break  # a racing writer saved this very run
                if final.is_symlink() or final.exists():  # partial, damaged or not ours
                    self._discard(final)
                try:
                    os.replace(tmp, final)
                    break
                except OSError as err:  # another writer renamed its copy in first
                    if err.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR):
                        raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        (self.folder / f"{key}.error.json").unlink(missing_ok=True)

    def save_error(self, key: str, info: dict) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{key}.{uuid.uuid4().hex}.err"
        tmp.write_text(json.dumps(info, indent=2))
        os.replace(tmp, self.folder / f"{key}.error.json")

    def _discard(self, path: Path) -> None:
        """Take ``path`` out of the store at once (a rename), then delete it."""
        away = self.folder / f".{path.name}.{uuid.uuid4().hex}.tmp"
        try:
            os.replace(path, away)
        except FileNotFoundError:
            return  # another writer already took it away
        if away.is_dir() and not away.is_symlink():
            shutil.rmtree(away, ignore_errors=True)
        else:
            away.unlink(missing_ok=True)
