"""What a results folder needs to be trusted later: versions, seed, commit, timings."""

from __future__ import annotations

import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

LIBRARIES = ("simpy", "numpy", "scipy", "pandas", "pyarrow", "pydantic", "PyYAML", "matplotlib")


def package_version() -> str:
    try:
        return metadata.version("enforcement-sim")
    except metadata.PackageNotFoundError:  # running from a source tree
        return "0+unknown"


def git_commit(where: Path) -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=where, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def build_manifest(**fields: Any) -> dict[str, Any]:
    versions = {}
    for lib in LIBRARIES:
        try:
            versions[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            versions[lib] = None
    return {
        "package": "enforcement-sim",
        "version": package_version(),
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": git_commit(Path(__file__).parent),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "libraries": versions,
        **fields,
    }
