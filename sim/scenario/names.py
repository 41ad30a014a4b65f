"""Scenario fields whose allowed values are a registry's names.

``Annotated[str, OneOf(DEPLOYMENT_MODELS)]`` validates like a ``Literal`` of the
registered names, but reads the registry when a scenario is validated and when the
JSON schema is generated, not when this module is imported: a model or channel
registered later (by its own module, or by a test) is a valid value at once, and the
schema never lists a name by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

from ..registry import Registry

UNKNOWN_NAME = "unknown_registered_name"
"""Pydantic error type of a name no entry is registered under (its message is final)."""


@dataclass(frozen=True, eq=False)
class OneOf:
    registry: Registry

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        out = handler(schema)
        out["enum"] = list(self.registry.names())
        return out

    def _check(self, name: str) -> str:
        if name not in self.registry:
            raise PydanticCustomError(
                UNKNOWN_NAME, "{message}", {"message": self.registry.unknown(name)}
            )
        return name


def one_of(metadata: Iterable[Any]) -> Registry | None:
    """The registry a field annotated ``OneOf(...)`` draws its values from (pydantic keeps
    the annotation's metadata in ``FieldInfo.metadata``)."""
    return next((m.registry for m in metadata if isinstance(m, OneOf)), None)
