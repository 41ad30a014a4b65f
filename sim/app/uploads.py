"""An uploaded scenario: size-limited, parsed as safe YAML, kept in the session's folder.

What a user uploads is data, never a path: the YAML is parsed by the scenario reader (safe,
bounded YAML 1.2), must be one whole scenario (no ``extends``, which would read other files,
and not a compare or sweep file), and is written with its region CSV under fixed names in
the session's folder; the names the user's files carry appear only in messages. Every
failure is a ``ScenarioError`` whose text is the command line's one line, naming the
uploaded file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ScenarioError
from ..experiment.folder import dump_yaml
from ..scenario import LoadedScenario
from ..scenario.files import locate
from ..scenario.load import from_mapping
from ..scenario.reading import parse_yaml

MAX_UPLOAD_BYTES = 1_000_000
"""Largest uploaded file (1 MB): the Jinhua baseline is about 15 kB, its region CSV 10 kB."""

SCENARIO_NAME, REGION_NAME = "scenario.yaml", "townships.csv"  # as saved in the folder


def checked_size(name: str, data: bytes, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """``data`` if it is within ``limit`` bytes, else the one-line refusal."""
    if len(data) > limit:
        raise ScenarioError("", f"file is {len(data):,} bytes; the limit is {limit:,}", name)
    return data


def _text(name: str, data: bytes) -> str:
    try:
        return checked_size(name, data).decode("utf-8")
    except UnicodeDecodeError as err:
        raise ScenarioError(
            "", f"not UTF-8 text (byte 0x{err.object[err.start]:02x} at {err.start})", name
        ) from None


def parse_upload(name: str, data: bytes) -> dict[str, Any]:
    """The uploaded scenario's top-level mapping (safe YAML), or the one-line error."""
    try:
        raw = parse_yaml(_text(name, data))
    except ScenarioError as err:
        raise err.located(name) from None
    if not isinstance(raw, dict):
        raise ScenarioError("", "a scenario must be a YAML mapping of fields", name)
    if "extends" in raw:
        raise ScenarioError(
            "extends",
            "an uploaded scenario must be whole: upload the resolved scenario (no extends)",
            name,
        )
    if "variants" in raw or "grid" in raw or "lhs" in raw:
        raise ScenarioError("", "a compare or sweep file: upload one scenario", name)
    return raw


def load_upload(
    folder: Path, name: str, data: bytes, csv_name: str | None, csv_data: bytes | None
) -> LoadedScenario:
    """Validate an uploaded scenario and its region CSV and keep both in ``folder``
    (created), under fixed names; the scenario's ``region.townships_csv`` is pointed at
    the saved CSV. Errors name the uploaded file, as ``enforcement-sim run`` would."""
    raw = parse_upload(name, data)
    region = raw.get("region")
    if isinstance(region, dict) and isinstance(region.get("townships_csv"), str):
        if csv_data is None:
            wanted = region["townships_csv"]
            raise ScenarioError(
                "region.townships_csv", f"upload its region CSV ({wanted}) too", name
            )
        region["townships_csv"] = REGION_NAME
    folder.mkdir(parents=True, exist_ok=True)
    if csv_data is not None:
        (folder / REGION_NAME).write_bytes(checked_size(csv_name or REGION_NAME, csv_data))
    if "name" not in raw:
        raw["name"] = "uploaded"
    path = folder / SCENARIO_NAME
    path.write_text(dump_yaml(raw), encoding="utf-8")
    try:
        return from_mapping(raw, base_dir=folder, source=path)
    except ScenarioError as err:
        raise _named(locate(err, path, {}), folder, name, csv_name or REGION_NAME) from None


def _named(err: ScenarioError, folder: Path, name: str, csv_name: str) -> ScenarioError:
    """``err`` naming the user's files rather than the session folder's copies."""
    saved = {str(folder / SCENARIO_NAME): name, str(folder / REGION_NAME): csv_name}
    message = err.message
    for path, shown in saved.items():
        message = message.replace(path, shown)
    return ScenarioError(err.path, message, saved.get(err.file or "", err.file))
