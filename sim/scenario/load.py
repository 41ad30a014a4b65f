"""From a scenario file on disk to a validated ``LoadedScenario``.

The only entry point that reads scenario files. Every failure becomes a
``ScenarioError`` naming the file that holds the offending value (the base of
an ``extends`` chain, or ``--set``) and the field path, so bad input never
reaches the model and never shows a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import ScenarioError
from .files import apply_override, key_paths, locate, merge, read_with_extends
from .messages import from_validation_error
from .region import check_region, check_scenario, read_townships
from .schema import LoadedScenario, Scenario, TownshipRow


def load_scenario(
    path: str | Path, overrides: Iterable[str] = (), *, name: str | None = None
) -> LoadedScenario:
    """Read, override, validate and cross-check one scenario file."""
    path = Path(path)
    raw, origins = read_with_extends(path)
    try:
        for item in overrides:
            apply_override(raw, item, origins)
        if "name" not in raw:
            raw["name"] = name or path.stem
        loaded = from_mapping(raw, base_dir=path.parent, source=path)
    except ScenarioError as err:
        raise locate(err, path, origins) from None
    return loaded.model_copy(update={"origins": origins})


def from_mapping(
    raw: Mapping[str, Any], base_dir: Path = Path("."), source: Path | None = None
) -> LoadedScenario:
    """Validate an in-memory scenario (as parsed YAML) whose region CSV lives in ``base_dir``."""
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as err:
        raise from_validation_error(err, raw) from None
    check_scenario(scenario)
    csv_path = base_dir / scenario.region.townships_csv
    townships = _weighted(scenario, read_townships(csv_path))
    check_region(scenario, townships, csv_path)
    return LoadedScenario(scenario=scenario, townships=townships, source=source)


def _weighted(scenario: Scenario, towns: tuple[TownshipRow, ...]) -> tuple[TownshipRow, ...]:
    """The table's weights times each county's ``weight_factor`` (rows untouched at 1.0)."""
    factor = {n: c.weight_factor for n, c in scenario.counties.items() if c.weight_factor != 1.0}
    if not factor:
        return towns
    return tuple(
        t.model_copy(update={"weight": t.weight * factor[t.county]}) if t.county in factor else t
        for t in towns
    )


def load_variant(
    base: Path, over: Mapping[str, Any], name: str, overrides: Iterable[str], plan_file: Path
) -> LoadedScenario:
    """A compare file's variant: ``over`` merged onto the base scenario (as ``extends``
    does: ``units`` replaced whole), then ``--set`` overrides; errors in ``over`` name
    the compare file and the variant."""
    raw, origins = read_with_extends(base)
    over = dict(over)
    if "units" in over:
        raw.pop("units", None)
    raw = merge(raw, over)
    origins.update(dict.fromkeys(key_paths(over), f"{plan_file}#variants.{name}"))
    raw["name"] = name
    mine = f"variants.{name}"
    try:
        for item in overrides:
            apply_override(raw, item, origins)
        loaded = from_mapping(raw, base_dir=base.parent, source=base)
    except ScenarioError as err:
        top = err.path.split(".", 1)[0]
        if not err.file and top in over:
            raise ScenarioError(f"{mine}.{err.path}", err.message, str(plan_file)) from None
        raise locate(err, base, origins) from None
    return loaded.model_copy(update={"origins": origins})
