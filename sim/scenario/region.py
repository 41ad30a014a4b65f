"""The region CSV, and the checks that need both the YAML and the region."""

from __future__ import annotations

import csv
import errno
import io
import os
import stat
from pathlib import Path

from pydantic import ValidationError

from ..errors import ScenarioError
from .messages import did_you_mean
from .reading import reason
from .schema import Scenario, TownshipRow

REQUIRED_COLUMNS = ("township", "county", "lat_deg", "lon_deg")
FIELD = "region.townships_csv"
MAX_CSV_BYTES = 8 << 20  # 8 MiB: some 10,000 townships' rows; Jinhua's is 14 KB


def _csv_text(csv_path: Path) -> str:
    """The text of a regular file of at most ``MAX_CSV_BYTES`` (``/dev/zero`` or a FIFO
    named as the region would otherwise be read forever, or block)."""
    info = csv_path.stat()
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "not a regular file")
    if info.st_size > MAX_CSV_BYTES:
        raise OSError(errno.EFBIG, f"{info.st_size:,} bytes; the limit is {MAX_CSV_BYTES:,}")
    with csv_path.open("rb") as fh:
        data = fh.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:  # grew since stat
        raise OSError(errno.EFBIG, f"over {MAX_CSV_BYTES:,} bytes")
    return data.decode("utf-8-sig")


def read_townships(csv_path: Path) -> tuple[TownshipRow, ...]:
    """Read and validate the region CSV, naming the file and row in any error."""
    where = str(csv_path)
    try:
        reader = csv.DictReader(io.StringIO(_csv_text(csv_path), newline=""))
        header = reader.fieldnames or []
        rows = list(reader)
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(FIELD, f"cannot read {where} ({reason(err)})") from None
    except csv.Error as err:
        raise ScenarioError(FIELD, f"{where} is not a readable CSV ({err})") from None
    if not header:
        raise ScenarioError(FIELD, f"{where} is empty")
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:  # DictReader would keep the last column of the name silently
        raise ScenarioError(FIELD, f"{where} has column(s) {', '.join(twice)} more than once")
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ScenarioError(FIELD, f"{where} lacks column(s) {', '.join(missing)}")
    if not rows:
        raise ScenarioError(FIELD, f"{where} has no township rows")
    known = set(TownshipRow.model_fields)
    out: list[TownshipRow] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        fields = {k: v for k, v in row.items() if k in known and v not in (None, "")}
        try:
            town = TownshipRow.model_validate(fields)
        except ValidationError as err:
            e = err.errors()[0]
            col = e["loc"][0] if e["loc"] else "row"
            got = f" (got {e['input']!r})" if isinstance(e.get("input"), str) else ""
            raise ScenarioError(
                FIELD, f"{where} line {line}, column {col}: {e['msg']}{got}"
            ) from None
        if town.township in seen:
            raise ScenarioError(
                FIELD,
                f"{where} line {line}: duplicate township {town.township!r} "
                f"(first on line {seen[town.township]})",
            )
        seen[town.township] = line
        out.append(town)
    return tuple(out)


def check_scenario(scenario: Scenario) -> None:
    """Checks across fields of the scenario itself, each naming the field to change."""
    if scenario.warmup_days >= scenario.horizon_days:
        raise ScenarioError(
            "warmup_days",
            f"must be less than horizon_days ({scenario.warmup_days:g} >= "
            f"{scenario.horizon_days:g})",
        )
    if scenario.education is not None:
        for name in scenario.education.rate_multiplier:
            if name not in scenario.incident_types:
                raise ScenarioError(
                    f"education.rate_multiplier.{name}",
                    "is not an incident type" + did_you_mean(name, scenario.incident_types),
                )


def check_region(scenario: Scenario, towns: tuple[TownshipRow, ...], csv_path: Path) -> None:
    """Cross-checks between the YAML and the region table that need both."""
    names = {t.township for t in towns}
    county_of = {t.township: t.county for t in towns}
    region_counties = {t.county for t in towns}
    for county in sorted(region_counties - set(scenario.counties)):
        raise ScenarioError("counties", f"county {county!r} of {csv_path.name} is not listed")
    for county, spec in scenario.counties.items():
        if county not in region_counties:
            raise ScenarioError(
                f"counties.{county}",
                f"no township of {csv_path.name} is in this county"
                + did_you_mean(county, region_counties),
            )
        bt = spec.bureau_township
        if bt is not None and county_of.get(bt) != county:
            raise ScenarioError(
                f"counties.{county}.bureau_township",
                f"{bt!r} is not a township of this county" + did_you_mean(bt, names),
            )
    for uname, unit in scenario.units.items():
        listed: set[str] = set()
        for i, town in enumerate(unit.townships):
            if town not in names:
                raise ScenarioError(
                    f"units.{uname}.townships.{i}",
                    f"unknown township {town!r}" + did_you_mean(town, names),
                )
            if town in listed:
                raise ScenarioError(
                    f"units.{uname}.townships.{i}", f"township {town!r} is listed twice"
                )
            listed.add(town)
        if unit.base_township is not None and unit.base_township not in names:
            raise ScenarioError(
                f"units.{uname}.base_township",
                f"unknown township {unit.base_township!r}"
                + did_you_mean(unit.base_township, names),
            )
        if unit.county is not None and unit.county not in scenario.counties:
            raise ScenarioError(
                f"units.{uname}.county",
                f"unknown county {unit.county!r}" + did_you_mean(unit.county, scenario.counties),
            )
