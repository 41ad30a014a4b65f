"""The scenarios shipped with the package: where they are, and copying them out.

The repository's top-level ``scenarios/`` folder is the package ``sim.bundled``
(pyproject.toml), so a wheel carries it and this module finds it through
``importlib.resources`` the same way whether the package is installed or an editable
checkout. Scenarios name the files they extend and their region CSVs by relative path,
so callers always get a real path inside the whole folder, never one file read alone.
Nothing is read until a default is asked for.
"""

from __future__ import annotations

import atexit
import functools
import shutil
from contextlib import ExitStack
from importlib import resources
from pathlib import Path

from .errors import ScenarioError

PACKAGE = "sim.bundled"
DEFAULT_SCENARIO = "default.yaml"  # `run` with no file
DEFAULT_COMPARE = "jinhua/deployment_models.yaml"  # `compare` with no file
DEFAULT_STAFF = "jinhua/baseline.yaml"  # `staff` with no file
DATA_SUFFIXES = (".yaml", ".csv", ".md")  # what `examples` copies (not __init__.py)


@functools.cache
def bundled_root() -> Path:
    """The bundled folder as a real directory: the installed files themselves (pip always
    installs a wheel as files), or a copy kept for the life of the process if the package
    was imported from an archive."""
    try:
        folder = resources.files(PACKAGE)
    except ModuleNotFoundError:  # an editable install made before the folder was package data
        raise ScenarioError(
            "", "the bundled scenarios are not installed; reinstall: pip install -e .",
            file=PACKAGE,
        ) from None  # fmt: skip
    stack = ExitStack()
    atexit.register(stack.close)
    return stack.enter_context(resources.as_file(folder))


def bundled(relative: str) -> Path:
    """The real path of one bundled file, e.g. ``bundled(DEFAULT_COMPARE)``."""
    return bundled_root() / relative


def bundled_files() -> list[str]:
    """Every bundled data file, as a relative POSIX path (``jinhua/townships.csv``)."""
    root = bundled_root()
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and p.suffix in DATA_SUFFIXES
    )


def copy_examples(dest: Path, force: bool = False) -> list[Path]:
    """Copy the bundled scenarios into ``dest`` with their folder structure (so relative
    region and ``extends`` paths still work); refuse to replace an existing file unless
    ``force``. Returns the files written."""
    names = bundled_files()
    targets = [dest / name for name in names]
    taken = [t for t in targets if t.exists() or t.is_symlink()]
    if taken and not force:
        raise ScenarioError(
            "", f"{len(taken)} file(s) already there, e.g. {taken[0]}; --force replaces them",
            file=str(dest),
        )  # fmt: skip
    try:
        for name, target in zip(names, targets, strict=True):
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_symlink() or target.exists():
                target.unlink()  # never write through a link to somewhere else
            shutil.copyfile(bundled(name), target)
    except OSError as err:
        where = err.filename or dest
        raise ScenarioError("", f"cannot write {where} ({err.strerror})", file=str(dest)) from None
    return targets
