"""The packaged China tables, read once and only when first asked for.

The township table is 1.2 MB of gzip; reading it costs about half a second, so nothing is
read at import (``import sim`` and ``enforcement-sim --help`` stay fast) and the parsed
frames are cached for the life of the process. Files are found through
``importlib.resources`` (package ``sim.china.tables``), so an installed wheel and an
editable checkout read the same bytes; no network is ever used.
"""

from __future__ import annotations

import functools
from importlib import resources

import pandas as pd

PACKAGE = "sim.china.tables"
TOWNSHIPS_FILE = "townships.csv.gz"
COUNTIES_FILE = "counties.csv"
SOURCES_FILE = "SOURCES.md"
N_TOWNSHIPS = 42950

#: Must go with every copy of the tables or anything derived from them (a generated
#: scenario's README/SOURCES included): the CC BY 4.0 licence of Vonng/adcode asks for it.
ATTRIBUTION = (
    "Township codes, names and representative points: Vonng/adcode "
    "(https://github.com/Vonng/adcode), © Feng Ruohang (Vonng), licensed CC BY 4.0 "
    "(https://creativecommons.org/licenses/by/4.0/); based on NBS division codes (2016) and "
    "Amap geocodes. Modified: names shortened, WGS-84 coordinates derived, missing points "
    "filled from village geocodes."
)

# Codes are identifiers, not numbers: kept as strings so "110000" never becomes 110000.0.
_CODES = ("town_code", "county_code", "prefecture_code", "province_code")


@functools.cache
def _read(name: str) -> pd.DataFrame:
    source = resources.files(PACKAGE) / name
    with source.open("rb") as fh:
        frame = pd.read_csv(
            fh,
            compression="gzip" if name.endswith(".gz") else None,
            dtype={c: str for c in _CODES},
            keep_default_na=False,
            na_values={"lon_wgs84": [""], "lat_wgs84": [""], "lon_gcj02": [""],
                        "lat_gcj02": [""], "centroid_lon_wgs84": [""],
                        "centroid_lat_wgs84": [""]},
        )  # fmt: skip
    return frame


def townships() -> pd.DataFrame:
    """All 42,950 township-level units, one row each, with the table's columns (SOURCES.md):
    town_code, name, county_code, county, prefecture_code, prefecture, province_code,
    province, lon/lat in WGS-84 and GCJ-02 (NaN where ``coord_source`` is ``missing``),
    coord_source, kind. Codes are strings. A copy: callers may change it freely."""
    return _read(TOWNSHIPS_FILE).copy()


def counties() -> pd.DataFrame:
    """The 2,855 county-level units that have towns: county_code, county, prefecture_code,
    prefecture, province, n_towns, n_towns_with_point, and the centroid of their towns'
    known points (centroid_lon_wgs84/centroid_lat_wgs84; NaN when none has a point). Codes
    are strings; ``province_code`` is added (the county code's first two digits + 0000).
    A copy."""
    frame = _read(COUNTIES_FILE).copy()
    if "province_code" not in frame:
        frame.insert(4, "province_code", frame["county_code"].str[:2] + "0000")
    return frame


def sources_text() -> str:
    """The packaged SOURCES.md (columns, caveats, the attribution line), for copying into a
    generated scenario folder."""
    return (resources.files(PACKAGE) / SOURCES_FILE).read_text(encoding="utf-8")
