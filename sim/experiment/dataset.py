"""Record tables as Parquet datasets partitioned by county, for partitioned runs.

A country's records do not fit one parent's memory comfortably (its assignments are
some 17 million rows a replication), and a reader usually wants a few counties. So a
partitioned run writes each record table as a folder ``<table>.parquet/`` of
``county_code=<code>/part-*.parquet`` files (Hive partitioning): ``pd.read_parquet``,
``pyarrow.dataset.dataset(..., partitioning="hive")`` and ``dask.dataframe.read_parquet``
each read it in one call, and a filter on ``county_code`` reads only those folders. The
folder is written beside its final name and renamed into place, as every results file is.
Each batch's worker writes its own counties' files into its run-store folder, in parallel
(``RunStore.save``); the parent only links them into place.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .folder import UMASK

PARTITION = "county_code"


def write_dataset(path: Path, df: pd.DataFrame, stored: Iterable[tuple[str, Path]] = ()) -> None:
    """One table at ``path`` as a dataset by ``variant`` and ``county_code``, replacing
    whatever was there: the ``stored`` batches (variant, a run-store batch's dataset
    folder, written by its worker) linked in, not read; the rows of ``df`` of any other
    variant written here."""
    stored = list(stored)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        tmp.chmod(0o777 & ~UMASK)
        linked = {variant for variant, _ in stored}
        rest = df[~df["variant"].isin(linked)] if len(df) else df
        if len(rest):
            write_parts(tmp, rest, ["variant", PARTITION])
        for variant, folder in stored:
            for county in sorted(folder.iterdir()):
                target = tmp / f"variant={variant}" / county.name
                target.mkdir(parents=True, exist_ok=True)
                for file in sorted(county.iterdir()):
                    _link(file, target / f"{folder.parent.parent.name}-{file.name}")
        _replace(tmp, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_parts(root: Path, df: pd.DataFrame, by: list[str] | None = None) -> None:
    """``df`` under ``root`` as Hive folders by ``by`` (default ``county_code``)."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    pq.write_to_dataset(table, root, partition_cols=by or [PARTITION],
                        basename_template="part-{i}.parquet")  # fmt: skip


def _link(source: Path, target: Path) -> None:
    """A hard link (the results folder and its run store share a disk); a copy if not."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _replace(tmp: Path, path: Path) -> None:
    """Rename ``tmp`` over ``path`` (a file of an earlier run, or a dataset folder)."""
    if path.is_symlink() or path.exists():
        away = path.parent / f".{path.name}.{uuid.uuid4().hex[:8]}.tmp"
        os.replace(path, away)
        if away.is_dir() and not away.is_symlink():
            shutil.rmtree(away, ignore_errors=True)
        else:
            away.unlink(missing_ok=True)
    os.replace(tmp, path)


def remove_dataset(path: Path) -> None:
    """Take away a dataset folder at ``path`` (a file is left to be replaced whole)."""
    if path.is_dir() and not path.is_symlink():
        away = path.parent / f".{path.name}.{uuid.uuid4().hex[:8]}.tmp"
        os.replace(path, away)
        shutil.rmtree(away, ignore_errors=True)
