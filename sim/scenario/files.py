"""Reading scenario YAML: strict parsing, ``extends`` chains, ``--set`` overrides.

Alongside the merged mapping it keeps the *provenance* of every key path — which
file (or ``--set``) wrote it — so an error found after merging can still name
the file the user has to open.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

from ..errors import ScenarioError
from .reading import MAX_DEPTH, parse_yaml, read_yaml_file, reason

__all__ = ["parse_yaml", "read_with_extends", "read_yaml", "reason"]

Origins = dict[str, str]  # dotted key path -> file (or "--set") that wrote it
SET = "--set"
MAX_EXTENDS = 16  # files in one ``extends`` chain; real ones are two or three deep


def read_yaml(path: Path) -> dict[str, Any]:
    """A scenario (or plan) file's top-level mapping, read by ``reading.read_yaml_file``."""
    raw = read_yaml_file(path)
    if not isinstance(raw, dict):
        raise ScenarioError("", "a scenario must be a YAML mapping of fields")
    return raw


def read_with_extends(path: Path, chain: tuple[Path, ...] = ()) -> tuple[dict[str, Any], Origins]:
    """Read a scenario and, if it ``extends`` a base file, merge it over that base.

    Mappings merge key by key; lists and values replace. ``units`` is replaced
    whole: a unit layout is one design, and merging two would cover townships
    twice. The region CSV stays relative to the file that names it.
    """
    try:
        raw = read_yaml(path)
    except ScenarioError as err:
        raise err.located(str(path)) from None
    origins = dict.fromkeys(key_paths(raw), str(path))
    base_name = raw.pop("extends", None)
    if base_name is None:
        return raw, origins
    if not isinstance(base_name, str):
        raise ScenarioError("extends", "must be the path of a base scenario file", str(path))
    base_path = path.parent / base_name
    if len(chain) + 1 >= MAX_EXTENDS:
        raise ScenarioError(
            "extends", f"a chain of more than {MAX_EXTENDS} scenario files is not read", str(path)
        )
    try:
        resolved: Path | None = base_path.resolve(strict=True)
    except (RuntimeError, OSError) as err:  # Python < 3.13 raises RuntimeError for a loop
        if isinstance(err, RuntimeError) or err.errno == errno.ELOOP:
            loop = f"{base_name!r} is a symbolic-link loop"
            raise ScenarioError("extends", loop, str(path)) from None
        resolved = None
    if resolved is not None and resolved in {p.resolve() for p in (*chain, path)}:
        raise ScenarioError(
            "extends", f"{base_name!r} leads back to {path.name} (a cycle)", str(path)
        )
    if resolved is None or not base_path.is_file():
        raise ScenarioError("extends", f"no base scenario file {base_name!r}", str(path))
    base, base_origins = read_with_extends(base_path, (*chain, path))
    region = base.get("region")
    csv_name = region.get("townships_csv") if isinstance(region, dict) else None
    if isinstance(csv_name, str) and not Path(csv_name).is_absolute():
        rel = os.path.relpath(base_path.parent / csv_name, path.parent)
        region["townships_csv"] = Path(rel).as_posix()
    if "units" in raw:
        base.pop("units", None)
        base_origins = {p: f for p, f in base_origins.items() if p.split(".", 1)[0] != "units"}
    return merge(base, raw), {**base_origins, **origins}


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Mappings merge key by key, except a distribution (a mapping with ``dist``), which
    replaces the base's whole: its parameters only make sense together."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and "dist" not in value and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def key_paths(node: Any, prefix: str = "") -> list[str]:
    paths = [prefix] if prefix else []
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for k, v in items:
        paths.extend(key_paths(v, f"{prefix}.{k}" if prefix else str(k)))
    return paths


def locate(err: ScenarioError, main_file: Path, origins: Origins) -> ScenarioError:
    """Name the file that wrote the offending field (``--set`` values name the scenario)."""
    if err.file:
        return err
    origin = origin_of(err.path, origins)
    if origin == SET:
        return ScenarioError(err.path, f"{err.message} (value from --set)", str(main_file))
    if origin and "#" in origin:  # a compare file's variant: file#variants.<name>
        file, prefix = origin.split("#", 1)
        return ScenarioError(f"{prefix}.{err.path}", err.message, file)
    return err.located(origin or str(main_file))


def origin_of(path: str, origins: Origins) -> str | None:
    """The file (or ``--set``) that wrote the longest known prefix of a dotted path."""
    parts = path.split(".") if path else []
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in origins:
            return origins[key]
    return None


def apply_override(raw: dict[str, Any], item: str, origins: Origins | None = None) -> None:
    """Apply one ``dotted.path=value`` override in place; the value is parsed as YAML."""
    key, sep, text = item.partition("=")
    if not sep or not key.strip():
        raise ScenarioError(SET, f"expected dotted.path=value, got {item!r}")
    try:
        value = parse_yaml(text)
    except ScenarioError as err:
        if not err.message.startswith("YAML syntax error"):  # a reading cap: say which
            raise ScenarioError(f"{SET} {key}", err.message) from None
        raise ScenarioError(f"{SET} {key}", f"value {text!r} is not valid YAML") from None
    parts = key.strip().split(".")
    if len(parts) > MAX_DEPTH:
        raise ScenarioError(SET, f"a path of more than {MAX_DEPTH} parts is not a field")
    node: Any = raw
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        where = ".".join(parts[: i + 1])
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise ScenarioError(f"{SET} {where}", f"no list item {part!r}")
            idx: Any = int(part)
        elif isinstance(node, dict):
            idx = part
            if not last and idx not in node:
                node[idx] = {}
        else:
            raise ScenarioError(f"{SET} {where}", "cannot descend into a scalar value")
        if last:
            node[idx] = value
        else:
            node = node[idx]
    if origins is not None:
        origins.update(dict.fromkeys([key.strip(), *key_paths(value, key.strip())], SET))
