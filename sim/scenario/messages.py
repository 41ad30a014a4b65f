"""Turning pydantic's validation errors into one line a scenario author can act on.

The path is the one the user wrote (pydantic's union tags and ``[key]`` markers
are dropped), an unknown field gets a suggestion drawn from the fields valid at
that very place, and a field written in the wrong block is told where it
belongs.
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import ScenarioError
from .distributions import DIST_NAMES, _Dist
from .names import UNKNOWN_NAME
from .schema import Scenario

# the error a user should see first when there are several
_PRIORITY = {"extra_forbidden": 0, "union_tag_invalid": 1, "union_tag_not_found": 1}


def from_validation_error(err: ValidationError, raw: Any, root: type[BaseModel] = Scenario):
    errors = sorted(err.errors(), key=lambda e: _PRIORITY.get(e["type"], 2))
    first = errors[0]
    loc = user_path(first["loc"], raw)
    path = ".".join(_part(p) for p in loc)
    kind = first["type"]
    if kind == "extra_forbidden":
        msg = f"unknown field {loc[-1]!r}" + _suggest(str(loc[-1]), loc[:-1], raw, root)
    elif kind == "missing":
        msg = "required field is missing"
    elif kind == "union_tag_invalid":
        msg = f"unknown distribution {first['input'].get('dist')!r}; " + _dist_choices()
    elif kind == "union_tag_not_found":
        msg = "a distribution needs a `dist` key; " + _dist_choices()
    elif kind == "string_pattern_mismatch" and not str(first["input"]).isprintable():
        msg = (
            f"a name may not hold control characters such as a line break (got {first['input']!r})"
        )
    elif kind == "string_pattern_mismatch":  # the only pattern is a folder-safe name
        msg = (
            f"must be a plain name, no '/' or '\\', not starting with '.' (got {first['input']!r})"
        )
    elif kind == "string_too_long":
        msg = f"{first['msg']} (got {len(first['input']):,})"
    elif kind == UNKNOWN_NAME:  # names the value, the near miss and the choices already
        msg = first["msg"]
    elif kind in ("int_type", "float_type"):  # strict: nothing is converted to a number
        what = "a whole number" if kind == "int_type" else "a number"
        got = first["input"]
        if isinstance(got, bool):
            msg = f"must be {what}, not true/false (got {str(got).lower()})"
        else:
            msg = f"must be {what} (got {_short(got)})"
    elif kind == "bool_type":
        msg = f"must be true or false (got {_short(first['input'])})"
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        msg = f"expected a mapping of fields (got {_short(first['input'])})"
    else:
        msg = first["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        if "input" in first and not isinstance(first["input"], dict | list):
            got = first["input"]  # a date as written in the file, not its Python repr
            msg += f" (got {got.isoformat() if isinstance(got, dt.date) else repr(got)})"
    more = len(errors) - 1
    if more:
        msg += f" (and {more} more error{'s' if more > 1 else ''})"
    return ScenarioError(path, msg)


def user_path(loc: tuple[Any, ...], raw: Any) -> list[Any]:
    """``loc`` without pydantic's union tags and key markers: the path the user wrote."""
    out: list[Any] = []
    node = raw
    for i, part in enumerate(loc):
        if part == "[key]":
            continue
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and part < len(node)
        if in_dict or in_list:
            out.append(part)
            node = node[part]
        elif i == len(loc) - 1 and not (isinstance(node, dict) and node.get("dist") == part):
            out.append(part)  # a missing or unknown field: not in the data, still the path
    return out


def _part(part: Any) -> str:
    """A path component as written, quoted when it is empty or holds a line break (or any
    other unprintable character), so the message stays one readable line."""
    text = str(part)
    return text if text and text.isprintable() else repr(text)


def _dist_choices() -> str:
    return "one of " + ", ".join(DIST_NAMES)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# --- where a field is valid ------------------------------------------------------


def _suggest(word: str, parent: list[Any], raw: Any, root: type[BaseModel]) -> str:
    here = fields_at(parent, raw, root)
    elsewhere = [p for p in field_paths(root) if p.rsplit(".", 1)[-1] == word]
    if elsewhere:
        homes = sorted({p.rsplit(".", 1)[0] if "." in p else "the top level" for p in elsewhere})
        return f"; it belongs under {' or '.join(homes[:3])}"
    close = difflib.get_close_matches(word, sorted(here), n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    if here:
        return "; expected one of " + ", ".join(sorted(here))
    return ""


def fields_at(parent: list[Any], raw: Any, root: type[BaseModel]) -> set[str]:
    """Field names valid in the block at ``parent`` (union members chosen by ``dist``)."""
    kinds: list[Any] = [root]
    node = raw
    for part in parent:
        nxt: list[Any] = []
        for kind in kinds:
            nxt.extend(_child(kind, part))
        node = node.get(part) if isinstance(node, dict) else None
        kinds = _pick(nxt, node)
    names: set[str] = set()
    for kind in kinds:
        if _is_model(kind):
            names.update(f.alias or n for n, f in kind.model_fields.items())
    return names


def _child(kind: Any, part: Any) -> list[Any]:
    if _is_model(kind):
        for name, field in kind.model_fields.items():
            if part in (name, field.alias):
                return _flatten(field.annotation)
        return []
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is dict:
        return _flatten(args[1])
    if origin is list:
        return _flatten(args[0])
    return []


def _flatten(ann: Any) -> list[Any]:
    origin = typing.get_origin(ann)
    if origin is typing.Annotated:
        return _flatten(typing.get_args(ann)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for a in typing.get_args(ann) for t in _flatten(a)]
    return [ann]


def _pick(kinds: list[Any], node: Any) -> list[Any]:
    """Among distribution members, keep the one the data's ``dist`` names."""
    dists = [k for k in kinds if _is_model(k) and issubclass(k, _Dist)]
    if not dists or not isinstance(node, dict):
        return kinds
    chosen = [
        k for k in dists if node.get("dist") in typing.get_args(k.model_fields["dist"].annotation)
    ]
    return [k for k in kinds if k not in dists] + chosen


def _is_model(x: Any) -> bool:
    return isinstance(x, type) and issubclass(x, BaseModel)


def field_paths(root: type[BaseModel] = Scenario, prefix: str = "") -> list[str]:
    """Every field's dotted path, ``<name>`` standing for mapping keys."""
    out: list[str] = []
    for name, field in root.model_fields.items():
        path = f"{prefix}{field.alias or name}"
        out.append(path)
        for kind in _flatten(field.annotation):
            if _is_model(kind) and not issubclass(kind, _Dist):
                out.extend(field_paths(kind, f"{path}."))
            elif typing.get_origin(kind) is dict:
                for value in _flatten(typing.get_args(kind)[1]):
                    if _is_model(value) and not issubclass(value, _Dist):
                        out.extend(field_paths(value, f"{path}.<name>."))
    return list(dict.fromkeys(out))


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
