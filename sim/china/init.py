"""``enforcement-sim init``: a starter scenario folder for any prefecture or county of China.

The folder runs at once (``enforcement-sim run <folder>/scenario.yaml``) so an analyst
starts from a working model and replaces figures, rather than from a blank file: the
region CSV comes from the packaged table (region.py), the scenario from Jinhua's defaults
with every carried figure marked (scenario_text.py). The area is any list of county codes,
so ``--province`` and ``--country`` reuse ``write_starter`` with more counties.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ScenarioError
from .data import ATTRIBUTION
from .region import Region, build_region
from .scenario_text import DEFAULT_MARK, compare_text, scenario_text
from .search import Area, find_area

#: Above this many townships the README says a run needs partitioning (next step).
BIG_REGION = 5000
#: README bullets and error listings stop after this many items.
LISTED = 40
FILES = ("scenario.yaml", "deployment_models.yaml", "townships.csv", "README.md", "SOURCES.md")


@dataclass
class Written:
    folder: Path
    region: Region
    counties: int


def _names(area: Area) -> list[tuple[str, str]]:
    from .data import counties

    table = counties()
    table = table[table["county_code"].isin(area.county_codes)]
    return list(zip(table["county_code"], table["county"], strict=True))


def _inside(area: Area, query: str) -> list[str]:
    """The area's counties whose code, Chinese name (with or without suffix) or pinyin is
    ``query``: looked up inside the city first, so "Yiwu" under Jinhua is 义乌市, not
    also Xinjiang's 伊吾县."""
    from .names import ascii_key, romanise, stem

    text, key = query.strip(), ascii_key(query)
    return [
        code
        for code, zh in _names(area)
        if text in (code, zh, stem(zh, kind="county"))
        or (key and key == ascii_key(romanise(zh, kind="county")))
    ]


def pick_counties(area: Area, wanted: list[str] | None) -> list[str]:
    """The area's county codes, or those named by ``--county`` (code, Chinese or pinyin
    name, looked up among the city's counties only)."""
    if not wanted:
        return list(area.county_codes)
    picked: list[str] = []
    for query in wanted:
        inside = _inside(area, query)
        if len(inside) > 1:
            raise ScenarioError(
                "--county", f"{query!r} names {len(inside)} counties of {area.label()}: "
                f"{', '.join(inside)}; pass the code instead",
            )  # fmt: skip
        if not inside:
            raise ScenarioError("--county", f"{query!r} is not a county of {area.label()}"
                                + _county_hint(area, query))  # fmt: skip
        picked += [c for c in inside if c not in picked]
    return picked


def _county_hint(area: Area, query: str) -> str:
    """The "; its counties: …" tail for a city; for a province or the country (hundreds of
    counties), "; did you mean …" among the names close to ``query``."""
    from .names import romanise

    names = _names(area)
    if len(names) <= LISTED:
        return "; its counties: " + ", ".join(f"{c} {n}" for c, n in names)
    label = {n: f"{c} {n}" for c, n in names} | {
        romanise(n, kind="county"): f"{c} {n}" for c, n in names
    }
    close = difflib.get_close_matches(query.strip(), list(label), n=5, cutoff=0.5)
    hits = list(dict.fromkeys(label[k] for k in close))
    return f"; did you mean {' or '.join(hits)}?" if hits else ""


def find_province(query: str) -> Area:
    """``--province``: a province (or municipality, autonomous region) by code, Chinese name
    or pinyin; a prefecture or county named here is refused with the option to use."""
    area = find_area(query, argument="--province")
    if area.level != "province":
        raise ScenarioError(
            "--province", f"{area.label()} is a {area.level}, not a province "
            f"(use --city {area.code})",
        )  # fmt: skip
    return area


def country_area() -> Area:
    """All of mainland China as one area: every county-level unit with towns."""
    from .data import counties

    codes = sorted(counties()["county_code"])
    return Area("country", "CN", "中国大陆", "China", "", None, codes)  # type: ignore[arg-type]


def folder_name(area: Area) -> str:
    """scenarios/<pinyin name>/: lower case, ASCII letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", area.name_en.lower()).strip("-") or area.code


def _listed(items: list[str], where: str) -> str:
    shown = "\n".join(f"- {t}" for t in items[:LISTED]) or "- none"
    more = len(items) - LISTED
    return shown + (f"\n- … and {more} more: {where}" if more > 0 else "")


def _scale_note(region: Region) -> str:
    """What a reader of a province or country folder must know before running it."""
    n = len(region.rows)
    if n <= BIG_REGION:
        return ""
    return f"""
## Size: it runs in batches of counties

{n} townships is more than one world should hold: one travel matrix over every township
and unit base would be 16.8 GB for the country's 45,800 points. Counties share no
officers unless mutual aid across counties is on, so `enforcement-sim run` cuts each
replication into batches of counties (one per 1,500 townships; `--partitions N` to
choose), each with its own travel matrix, on the process pool (`--jobs`) or Dask
(`--dask`); the result is bit-identical to one run. Record tables are written as Parquet
datasets by county (`incidents.parquet/variant=.../county_code=.../`). One year of the
country took about 5 minutes on 2 cores here. Mutual aid (`shortfall_policy: borrow`)
and a ranking across counties (`ranking.scope: city`) couple counties: such a scenario
runs whole, so keep it to a province or a few counties (`--county`).
"""


def _readme(area: Area, written_counties: int, region: Region, title: str) -> str:
    placed = _listed(region.placed, "see the `note` column of townships.csv")
    changed = _listed(region.changed, "see sim/china/changes.py")
    return f"""# {title}: a starter scenario

Written by `enforcement-sim init` for {area.label()}: {written_counties} counties,
{len(region.rows)} township-level units. Run it with
`enforcement-sim run scenario.yaml`; compare the four deployment models on the same
incidents with `enforcement-sim compare deployment_models.yaml`.
{_scale_note(region)}
## What to replace

- Every block in `scenario.yaml` marked `{DEFAULT_MARK}`:
  incident rates (per township), discovery channels, duty hours, travel, enforcement and
  inspection figures, the calendar, are Jinhua's 2019 figures.
- Each county's `deployment` (model and head count: round(officers per township x
  townships), at least 2) and `bureau_township` (the first 街道 with its own point) are
  generated: replace with the county's real units, seat and staff.
- `townships.csv`: `weight` 1.0 everywhere (equal incident volume per township) and
  `dev_zone` false; names are romanised by pypinyin and may need a local reading.

## Units placed without a point of their own

The source has no point for these; each sits at its county's centroid of known points
(or the prefecture's, where the county has none), as its `note` says:

{placed}

## Changes since the 2016 table applied

{changed}

## Data

{ATTRIBUTION}

Division codes and names are the NBS 2016 list (see SOURCES.md for columns and caveats).
"""


def write_starter(area: Area, county_codes: list[str], out: Path, *, model: str,
                  officers_per_township: float, force: bool = False) -> Written:  # fmt: skip
    """Write the folder; refuse to overwrite one of its files unless ``force``."""
    from .data import sources_text

    clash = [f for f in FILES if (out / f).exists()]
    if clash and not force:
        raise ScenarioError("--out", f"{out} already holds {', '.join(clash)} (--force to replace)")
    region = build_region(county_codes)
    title = f"{area.name_en} ({area.name_zh})"
    name = folder_name(area)
    text = scenario_text(name, title, region.rows, model=model,
                         officers_per_township=officers_per_township)  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    table = region.rows.copy()
    for column in ("lat_deg", "lon_deg"):
        table[column] = table[column].map("{:.6f}".format)
    table.to_csv(out / "townships.csv", index=False)
    (out / "scenario.yaml").write_text(text, encoding="utf-8")
    models = compare_text(name, region.rows, officers_per_township=officers_per_township)
    (out / "deployment_models.yaml").write_text(models, encoding="utf-8")
    n = region.rows["county"].nunique()
    (out / "README.md").write_text(_readme(area, n, region, title), encoding="utf-8")
    (out / "SOURCES.md").write_text(
        f"# Sources\n\n{ATTRIBUTION}\n\nThe packaged table's own notes follow.\n\n"
        + sources_text(),
        encoding="utf-8",
    )
    return Written(folder=out, region=region, counties=n)


def init_area(*, city: str | None = None, province: str | None = None, country: bool = False,
              counties: list[str] | None = None, model: str = "squadron",
              officers_per_township: float = 0.66, out: Path | None = None,
              force: bool = False) -> Written:  # fmt: skip
    """Resolve exactly one of ``--city``, ``--province``, ``--country`` (and ``--county``
    inside it) and write the folder (default scenarios/<name>/, scenarios/china/)."""
    given = [o for o, v in (("--city", city), ("--province", province), ("--country", country))
             if v]  # fmt: skip
    if len(given) != 1:
        raise ScenarioError(
            "init", "give exactly one of --city, --province, --country"
            + (f" (got {', '.join(given)})" if given else ""),
        )  # fmt: skip
    if city:
        area = find_area(city, argument="--city")
    elif province:
        area = find_province(province)
    else:
        area = country_area()
    codes = pick_counties(area, counties)
    folder = out or Path("scenarios") / folder_name(area)
    return write_starter(area, codes, folder, model=model,
                         officers_per_township=officers_per_township, force=force)  # fmt: skip


def init_city(city: str, **options) -> Written:
    """``init --city``: :func:`init_area` with a city (kept for callers of the first step)."""
    return init_area(city=city, **options)
