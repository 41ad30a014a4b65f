"""The scenario reference, generated from the schema so it cannot drift from it.

``enforcement-sim schema`` prints the JSON Schema (for editors that validate YAML
as it is typed); ``--markdown`` prints the field table of docs/reference/scenario.md, and a
test checks that page still matches it. Fields naming a registered piece (a
deployment model, a policy, a channel) list the registry's names as they are now.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from .distributions import _Dist
from .names import one_of
from .schema import Scenario

DIST_DOC = (
    "| `dist` | parameters | mean |\n"
    "|---|---|---|\n"
    "| `fixed` | `value` | value |\n"
    "| `exponential` | `mean` | mean |\n"
    "| `lognormal` | `mean`, `cv` (coefficient of variation) | mean |\n"
    "| `gamma` | `mean`, `cv` (shape = 1/cv²) | mean |\n"
    "| `uniform` | `low`, `high` | (low+high)/2 |\n"
    "| `triangular` | `low`, `mode`, `high` | (low+mode+high)/3 |\n"
    "| `empirical` | `values`, optional `weights` | weighted mean of values |"
)


def json_schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "enforcement-sim scenario"
    return schema


def markdown_reference() -> str:
    rows = ["| field | type | default | meaning |", "|---|---|---|---|"]
    _rows(Scenario, "", rows)
    return "\n".join(rows) + "\n\nDistributions (any field of type *distribution*):\n\n" + DIST_DOC


def _rows(model: type[BaseModel], prefix: str, rows: list[str]) -> None:
    for name, field in model.model_fields.items():
        key = field.alias or name
        path = f"{prefix}{key}"
        ann = field.annotation
        nested, container = _nested_model(ann)
        doc = (field.description or (nested.__doc__ or "" if nested else "")).strip()
        doc = " ".join(doc.split())
        registry = one_of(field.metadata)
        kind = _choices(registry.names()) if registry else _type_name(ann)
        rows.append(f"| `{path}` | {kind} | {_default(field)} | {doc} |")
        if nested is not None:
            sub = {"dict": f"{path}.<name>.", "list": f"{path}[].", "model": f"{path}."}[container]
            _rows(nested, sub, rows)


def _nested_model(ann: Any) -> tuple[type[BaseModel] | None, str]:
    origin = typing.get_origin(ann)
    args = typing.get_args(ann)
    if _is_model(ann):
        return ann, "model"
    if origin is dict and args and _is_model(args[1]):
        return args[1], "dict"
    if origin is list and args and _is_model(args[0]):
        return args[0], "list"
    if origin in (typing.Union, types.UnionType):
        for a in args:
            if _is_model(a):
                return a, "model"
    return None, ""


def _is_model(x: Any) -> bool:
    """A nested scenario block (distributions are documented in their own table)."""
    return isinstance(x, type) and issubclass(x, BaseModel) and not issubclass(x, _Dist)


def _type_name(ann: Any) -> str:
    text = str(ann)
    if any(d in text for d in ("Fixed", "Lognormal")):
        base = "distribution"
        return f"{base} or null" if "None" in text else base
    origin = typing.get_origin(ann)
    args = typing.get_args(ann)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in args)
    if ann is type(None):
        return "null"
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"mapping of {_type_name(args[1])}"
    if origin is typing.Literal:
        return _choices(args)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if _is_model(ann):
        return "mapping"
    return getattr(ann, "__name__", text)


def _choices(names: Any) -> str:
    return " \\| ".join(f"`{a}`" for a in names)


def _default(field: Any) -> str:
    if field.default is PydanticUndefined and field.default_factory is None:
        return "required"
    value = field.default_factory() if field.default_factory else field.default
    if isinstance(value, BaseModel):
        dumped = value.model_dump(by_alias=True, exclude_defaults=False)
        if "dist" in dumped:
            return "`" + ", ".join(f"{k}: {v}" for k, v in dumped.items()) + "`"
        return "see below"
    if value is None:
        return "`null`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f'`"{value}"`' if value == "" else f"`{value}`"
    return f"`{value}`"
