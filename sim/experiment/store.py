"""The run store: every finished run on disk the moment it ends, so nothing is lost.

A run is one (scenario variant, replication). Its key hashes the resolved
scenario, the seed, the replication and the package version, so a changed
scenario never reuses a stale result and a restarted experiment runs only what
is missing. Each run is written to a temporary folder and renamed into place —
atomic on POSIX — so a killed process leaves either a whole run or none.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from pathlib import Path

import pandas as pd

from ..model import RESULTS_REVISION
from .manifest import package_version

RUN_TABLES = (
    "incidents", "inspections", "officers", "assignments", "grid", "summary", "timing",
)  # fmt: skip


def run_key(resolved_scenario: dict, seed: int, replication: int) -> str:
    text = json.dumps(
        {"scenario": resolved_scenario, "seed": seed, "replication": replication,
         "version": package_version(), "results_revision": RESULTS_REVISION},
        sort_keys=True,
    )  # fmt: skip
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


class RunStore:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path(self, key: str) -> Path:
        return self.folder / key

    def has(self, key: str) -> bool:
        return (self.path(key) / "done").exists()

    def load(self, key: str) -> dict[str, pd.DataFrame]:
        return {t: pd.read_parquet(self.path(key) / f"{t}.parquet") for t in RUN_TABLES}

    def save(self, key: str, tables: dict[str, pd.DataFrame]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{key}.{uuid.uuid4().hex}.tmp"
        tmp.mkdir()
        for name, df in tables.items():
            df.to_parquet(tmp / f"{name}.parquet", index=False)
        (tmp / "done").write_text("")
        final = self.path(key)
        if final.exists():  # a stale partial folder from an older layout
            shutil.rmtree(final)
        os.replace(tmp, final)
        (self.folder / f"{key}.error.json").unlink(missing_ok=True)

    def save_error(self, key: str, info: dict) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{key}.{uuid.uuid4().hex}.err"
        tmp.write_text(json.dumps(info, indent=2))
        os.replace(tmp, self.folder / f"{key}.error.json")
