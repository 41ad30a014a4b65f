"""From a scenario file on disk to a validated ``LoadedScenario``.

This is the only place that reads YAML or the region CSV. Every failure is
turned into a ``ScenarioError`` naming the file and the field path, so bad input
never reaches the model and never shows a traceback.
"""

from __future__ import annotations

import csv
import difflib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import ScenarioError
from .schema import LoadedScenario, Scenario, TownshipRow

REQUIRED_COLUMNS = ("township", "county", "lat_deg", "lon_deg")


def load_scenario(
    path: str | Path, overrides: Iterable[str] = (), *, name: str | None = None
) -> LoadedScenario:
    """Read, override, validate and cross-check one scenario file."""
    path = Path(path)
    try:
        raw = _read_with_extends(path, ())
        for item in overrides:
            apply_override(raw, item)
        raw.setdefault("name", name or path.stem)
        return from_mapping(raw, base_dir=path.parent, source=path)
    except ScenarioError as err:
        raise err.located(str(path)) from None


def from_mapping(
    raw: Mapping[str, Any], base_dir: Path = Path("."), source: Path | None = None
) -> LoadedScenario:
    """Validate an in-memory scenario (as parsed YAML) whose region CSV lives in ``base_dir``."""
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as err:
        raise _from_validation_error(err, raw) from None
    csv_path = base_dir / scenario.region.townships_csv
    townships = read_townships(csv_path)
    _check_region(scenario, townships, csv_path)
    return LoadedScenario(scenario=scenario, townships=townships, source=source)


def _read_with_extends(path: Path, chain: tuple[Path, ...]) -> dict[str, Any]:
    """Read a scenario and, if it ``extends`` a base file, merge it over that base.

    Mappings merge key by key; lists and values replace. ``units`` is replaced
    whole: a unit layout is one design, and merging two would cover townships
    twice. The region CSV stays relative to the file that names it.
    """
    raw = _read_yaml(path)
    base_name = raw.pop("extends", None)
    if base_name is None:
        return raw
    if not isinstance(base_name, str):
        raise ScenarioError("extends", "must be the path of a base scenario file")
    base_path = path.parent / base_name
    if base_path.resolve() in {p.resolve() for p in (*chain, path)}:
        raise ScenarioError("extends", f"{base_name!r} extends itself (a cycle)")
    try:
        base = _read_with_extends(base_path, (*chain, path))
    except ScenarioError as err:
        raise err.located(str(base_path)) from None
    csv_name = (
        base.get("region", {}).get("townships_csv")
        if isinstance(base.get("region"), dict)
        else None
    )
    if isinstance(csv_name, str) and not Path(csv_name).is_absolute():
        rel = os.path.relpath(base_path.parent / csv_name, path.parent)
        base["region"]["townships_csv"] = Path(rel).as_posix()
    if "units" in raw:
        base.pop("units", None)
    return _merge(base, raw)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError("", f"cannot read scenario file ({_reason(err)})") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or "invalid YAML"
        raise ScenarioError(where, f"YAML syntax error: {problem}") from None
    if not isinstance(raw, dict):
        raise ScenarioError("", "a scenario must be a YAML mapping of fields")
    return raw


def _reason(err: Exception) -> str:
    return getattr(err, "strerror", None) or type(err).__name__


# --- overrides -------------------------------------------------------------


def apply_override(raw: dict[str, Any], item: str) -> None:
    """Apply one ``dotted.path=value`` override in place; the value is parsed as YAML."""
    key, sep, text = item.partition("=")
    if not sep or not key.strip():
        raise ScenarioError("--set", f"expected dotted.path=value, got {item!r}")
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        raise ScenarioError(f"--set {key}", f"value {text!r} is not valid YAML") from None
    parts = key.strip().split(".")
    node: Any = raw
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        where = ".".join(parts[: i + 1])
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise ScenarioError(f"--set {where}", f"no list item {part!r}")
            idx: Any = int(part)
        elif isinstance(node, dict):
            idx = part
            if not last and idx not in node:
                node[idx] = {}
        else:
            raise ScenarioError(f"--set {where}", "cannot descend into a scalar value")
        if last:
            node[idx] = value
        else:
            node = node[idx]


# --- pydantic errors -> one line ----------------------------------------------


def _from_validation_error(err: ValidationError, raw: Any) -> ScenarioError:
    first = err.errors()[0]
    loc = _user_path(first["loc"], raw)
    path = ".".join(str(p) for p in loc)
    kind = first["type"]
    if kind == "extra_forbidden":
        msg = f"unknown field {loc[-1]!r}" + _did_you_mean(str(loc[-1]), _field_names())
    elif kind == "missing":
        msg = "required field is missing"
    else:
        msg = first["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        if "input" in first and not isinstance(first["input"], dict | list):
            msg += f" (got {first['input']!r})"
    more = len(err.errors()) - 1
    if more:
        msg += f" (and {more} more error{'s' if more > 1 else ''})"
    return ScenarioError(path, msg)


def _user_path(loc: tuple[Any, ...], raw: Any) -> list[Any]:
    """Drop pydantic's union tags from ``loc`` so the path is the one the user wrote."""
    out: list[Any] = []
    node = raw
    for i, part in enumerate(loc):
        if i == len(loc) - 1:
            out.append(part)
        elif (
            isinstance(node, dict)
            and part in node
            or isinstance(node, list)
            and isinstance(part, int)
            and part < len(node)
        ):
            out.append(part)
            node = node[part]
    return out


def _field_names() -> set[str]:
    """Every field name of every scenario model, the vocabulary for did-you-mean."""
    names: set[str] = set()
    stack: list[type] = [Scenario]
    seen: set[type] = set()
    while stack:
        model = stack.pop()
        if model in seen:
            continue
        seen.add(model)
        for fname, field in model.model_fields.items():
            names.add(field.alias or fname)
            stack.extend(_models_in(field.annotation))
    return names


def _models_in(annotation: Any) -> list[type]:
    found: list[type] = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found.append(annotation)
    for arg in getattr(annotation, "__args__", ()) or ():
        found.extend(_models_in(arg))
    for meta in getattr(annotation, "__metadata__", ()) or ():
        found.extend(_models_in(meta))
    return found


def _did_you_mean(word: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


# --- region CSV -----------------------------------------------------------------


def read_townships(csv_path: Path) -> tuple[TownshipRow, ...]:
    """Read and validate the region CSV, naming the file and row in any error."""
    where = str(csv_path)
    try:
        with csv_path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            rows = list(reader)
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(
            "region.townships_csv", f"cannot read {where} ({_reason(err)})"
        ) from None
    if not header:
        raise ScenarioError("region.townships_csv", f"{where} is empty")
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ScenarioError("region.townships_csv", f"{where} lacks column(s) {', '.join(missing)}")
    if not rows:
        raise ScenarioError("region.townships_csv", f"{where} has no township rows")
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
            raise ScenarioError(
                "region.townships_csv", f"{where} line {line}, column {col}: {e['msg']}"
            ) from None
        if town.township in seen:
            raise ScenarioError(
                "region.townships_csv",
                f"{where} line {line}: duplicate township {town.township!r} "
                f"(first on line {seen[town.township]})",
            )
        seen[town.township] = line
        out.append(town)
    return tuple(out)


def _check_region(scenario: Scenario, towns: tuple[TownshipRow, ...], csv_path: Path) -> None:
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
                + _did_you_mean(county, region_counties),
            )
        bt = spec.bureau_township
        if bt is not None and county_of.get(bt) != county:
            raise ScenarioError(
                f"counties.{county}.bureau_township",
                f"{bt!r} is not a township of this county" + _did_you_mean(bt, names),
            )
    for uname, unit in scenario.units.items():
        for i, town in enumerate(unit.townships):
            if town not in names:
                raise ScenarioError(
                    f"units.{uname}.townships.{i}",
                    f"unknown township {town!r}" + _did_you_mean(town, names),
                )
        if unit.base_township is not None and unit.base_township not in names:
            raise ScenarioError(
                f"units.{uname}.base_township",
                f"unknown township {unit.base_township!r}"
                + _did_you_mean(unit.base_township, names),
            )
        if unit.county is not None and unit.county not in scenario.counties:
            raise ScenarioError(
                f"units.{uname}.county",
                f"unknown county {unit.county!r}" + _did_you_mean(unit.county, scenario.counties),
            )
