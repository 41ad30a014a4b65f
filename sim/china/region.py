"""An area's rows of the packaged China table, as the project's region CSV.

The region CSV (scenarios/jinhua/townships.csv; read by sim/scenario/region.py) wants one
row per township with a unique name and a point. The packaged table has neither for every
row: names repeat (城东街道 in many counties) and 11.7% of units have no point. So names are
romanised and made unique (``names.unique_names``), known changes since 2016 are applied
(``changes.CHANGES``), and a unit without a point is placed at its county's centroid of
known points, or, when the county has none, at the prefecture's (then the province's), and
says so in its ``note`` so nobody mistakes the placement for a survey.

Functions take a list of county codes, so a province or the whole country is the same
call with more counties; nothing in here is quadratic in the number of units.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..errors import ScenarioError
from .changes import by_code
from .data import townships
from .names import romanise

COLUMNS = ("township", "name_zh", "county", "county_zh", "code", "type", "lat_deg", "lon_deg",
           "weight", "dev_zone", "note")  # fmt: skip
NOTE_COUNTY = "no point in the source: placed at the county's centroid of known points"
NOTE_WIDER = (
    "no point in the source (nor in its county): placed at the {level}'s centroid of known points"  # noqa: E501
)


@dataclass
class Region:
    """The region rows and what a reader must be told about them."""

    rows: pd.DataFrame  # COLUMNS, one row per township, in code order
    placed: list[str] = field(default_factory=list)  # townships placed at a centroid
    changed: list[str] = field(default_factory=list)  # notes of the changes applied


def _apply_changes(frame: pd.DataFrame, changed: list[str]) -> pd.DataFrame:
    """The 2016 rows brought up to date where a change is known (see ``changes``)."""
    known = by_code()
    keep = []
    for i, code in frame["town_code"].items():
        change = known.get(code)
        if change is None:
            keep.append(i)
            continue
        old = frame.at[i, "name"]
        if not change.new_code:
            changed.append(f"{code} {old}: {change.note}")
            continue
        frame.at[i, "town_code"] = change.new_code
        frame.at[i, "name"] = change.new_name or old
        frame.at[i, "kind"] = change.new_kind or frame.at[i, "kind"]
        keep.append(i)
        changed.append(f"{code} {old} -> {change.new_code} {frame.at[i, 'name']}: {change.note}")
    return frame.loc[keep]


def _centroids(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    known = frame.dropna(subset=["lat_wgs84", "lon_wgs84"])
    return known.groupby(key)[["lat_wgs84", "lon_wgs84"]].mean()


def _fill_points(frame: pd.DataFrame, table: pd.DataFrame) -> pd.Series:
    """Fill missing points in place from the nearest enclosing level that has any; the
    notes, aligned with ``frame``. Centroids are of the whole table's known points, so a
    county left out by ``--county`` still helps place its prefecture's units. Vectorised:
    the whole country has about 5,000 such units."""
    notes = pd.Series("", index=frame.index, dtype=object)
    levels = (("county_code", "county"), ("prefecture_code", "prefecture"),
              ("province_code", "province"))  # fmt: skip
    for key, level in levels:
        missing = frame["lat_wgs84"].isna()
        if not missing.any():
            break
        centres = _centroids(table, key)
        codes = frame.loc[missing, key]
        rows = codes[codes.isin(centres.index)].index
        if not len(rows):
            continue
        at = centres.loc[frame.loc[rows, key]]
        frame.loc[rows, "lat_wgs84"] = at["lat_wgs84"].to_numpy()
        frame.loc[rows, "lon_wgs84"] = at["lon_wgs84"].to_numpy()
        notes[rows] = NOTE_COUNTY if level == "county" else NOTE_WIDER.format(level=level)
    if frame["lat_wgs84"].isna().any():  # no known point anywhere in the province
        bad = ", ".join(frame.loc[frame["lat_wgs84"].isna(), "town_code"].head(5))
        raise ScenarioError("--city", f"no point to place unit(s) {bad} near")
    return notes


def county_name(county_zh: str, code: str, prefecture_zh: str) -> str:
    """A county's romanised name; the virtual 市辖区 is named after its prefecture."""
    if county_zh == "市辖区":
        return romanise(prefecture_zh, kind="prefecture") + " City"
    return romanise(county_zh, kind="county")


def county_names(frame: pd.DataFrame) -> dict[str, str]:
    """Each county code's romanised name, unique across the region: two counties that
    romanise alike (朝阳区 in Beijing and in Changchun) get their prefecture's name,
    "Chaoyang (Beijing)", and, if that still repeats, their code."""
    first = frame[["county_code", "county", "prefecture"]].drop_duplicates("county_code")
    names = pd.Series({c: county_name(z, c, p) for c, z, p in first.itertuples(index=False)})
    prefecture = first.set_index("county_code")["prefecture"]
    dup = names.duplicated(keep=False)
    wider = names[dup] + " (" + prefecture[names.index[dup]].map(
        lambda p: romanise(p, kind="prefecture")) + ")"  # fmt: skip
    names[dup] = wider
    again = names.duplicated(keep=False)
    names[again] = names[again] + " " + names.index[again]
    return names.to_dict()


def township_names(frame: pd.DataFrame, county_en: dict[str, str]) -> pd.Series:
    """Romanised township names unique across the region, however large: a repeated name
    gets its county's (already unique) name, "Chengdong (Wucheng)", as in
    scenarios/jinhua/, or "Nanyuan (Fengtai, Beijing)"; two same-named units of one county
    also get the town code. The rule of ``names.unique_names``, but with the region's
    county names (a 市辖区 is "Hangzhou City"; same-named counties differ by prefecture)."""
    pairs = zip(frame["name"], frame["kind"], strict=True)
    base = pd.Series([romanise(n, kind=k) for n, k in pairs], index=frame.index, dtype=object)
    dup = base.duplicated(keep=False)
    county = frame["county_code"].map(county_en).str.replace(r" \((.*)\)$", r", \1", regex=True)
    named = base.where(~dup, base + " (" + county + ")")
    again = named.duplicated(keep=False)
    return named.where(~again, named.str[:-1] + ", " + frame["town_code"].str[:9] + ")")


def build_region(county_codes: list[str], *, apply_changes: bool = True) -> Region:
    """The region rows for the given counties (6-digit codes), in code order."""
    table = townships()
    frame = table[table["county_code"].isin(set(county_codes))].copy()
    if frame.empty:
        raise ScenarioError("--county", "no township-level unit in the chosen counties")
    changed: list[str] = []
    if apply_changes:
        frame = _apply_changes(frame, changed)
    frame = frame.sort_values("town_code")
    notes = _fill_points(frame, table)
    county_en = county_names(frame)
    rows = pd.DataFrame({
        "township": township_names(frame, county_en),
        "name_zh": frame["name"],
        "county": frame["county_code"].map(county_en),
        "county_zh": frame["county"],
        "code": frame["town_code"].str[:9],
        "type": frame["kind"],
        "lat_deg": frame["lat_wgs84"].round(6),
        "lon_deg": frame["lon_wgs84"].round(6),
        "weight": 1.0,
        "dev_zone": "false",
        "note": notes,
    }).reset_index(drop=True)  # fmt: skip
    placed = rows.loc[rows["note"] != "", "township"].tolist()
    return Region(rows=rows, placed=placed, changed=changed)
