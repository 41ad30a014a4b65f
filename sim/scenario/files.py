"""Reading scenario YAML: strict parsing, ``extends`` chains, ``--set`` overrides.

Alongside the merged mapping it keeps the *provenance* of every key path — which
file (or ``--set``) wrote it — so an error found after merging can still name
the file the user has to open.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from ..errors import ScenarioError

Origins = dict[str, str]  # dotted key path -> file (or "--set") that wrote it
SET = "--set"


class _StrictLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses a key given twice (PyYAML keeps the last silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                mark = key_node.start_mark
                raise ScenarioError(
                    f"line {mark.line + 1}, column {mark.column + 1}",
                    f"key {key!r} is given twice",
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_yaml(text: str) -> Any:
    """Safe YAML parsing with the error turned into one located line."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or "invalid YAML"
        context, cmark = getattr(err, "context", None), getattr(err, "context_mark", None)
        if context and cmark is not None:
            problem += f" ({context} from line {cmark.line + 1})"
        elif context:
            problem = f"{context}, {problem}"
        raise ScenarioError(where, f"YAML syntax error: {problem}") from None


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise ScenarioError(
            "", f"not UTF-8 text (byte 0x{err.object[err.start]:02x} at position {err.start})"
        ) from None
    except OSError as err:
        raise ScenarioError("", f"cannot read scenario file ({reason(err)})") from None
    raw = parse_yaml(text)
    if not isinstance(raw, dict):
        raise ScenarioError("", "a scenario must be a YAML mapping of fields")
    return raw


def reason(err: Exception) -> str:
    return getattr(err, "strerror", None) or type(err).__name__


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
    if base_path.resolve() in {p.resolve() for p in (*chain, path)}:
        raise ScenarioError(
            "extends", f"{base_name!r} leads back to {path.name} (a cycle)", str(path)
        )
    if not base_path.is_file():
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
    except ScenarioError:
        raise ScenarioError(f"{SET} {key}", f"value {text!r} is not valid YAML") from None
    parts = key.strip().split(".")
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
