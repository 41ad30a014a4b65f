"""Record tables as Parquet datasets partitioned by county, for partitioned runs.

A country's records do not fit one parent's memory comfortably (its assignments are
some 17 million rows a replication), and a reader usually wants a few counties. So a
partitioned run writes each record table as a folder ``<table>.parquet/`` of
``county_code=<code>/part-*.parquet`` files (Hive partitioning): ``pd.read_parquet``,
``pyarrow.dataset.dataset(..., partitioning="hive")`` and ``dask.dataframe.read_parquet``
each read it in one call, and a filter on ``county_code`` reads only those folders. The
folder is written beside its final name and renamed into place, as every results file is.
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
    """``df`` (rows in memory) and the ``stored`` run-store files (variant, file; read one
    at a time) as one dataset at ``path``, replacing whatever was there."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        tmp.chmod(0o777 & ~UMASK)
        k = 0
        if len(df):
            _write(tmp, df, k)
            k += 1
        for variant, file in stored:
            part = pd.read_parquet(file)
            _write(tmp, part.assign(variant=variant)[["variant", *part.columns]], k)
            k += 1
        _replace(tmp, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _write(root: Path, df: pd.DataFrame, k: int) -> None:
    table = pa.Table.from_pandas(df, preserve_index=False)
    pq.write_to_dataset(table, root, partition_cols=[PARTITION],
                        basename_template=f"part-{k}-{{i}}.parquet")  # fmt: skip


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
