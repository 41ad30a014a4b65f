"""How a study command ends (sensitivity, calibrate, frontier): the same words for every
one, so a user who learns to rerun after a failure in one knows it in all."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path


def finish(
    out: Path | None,
    failures: list,
    summary: Callable[[], str],
    quiet: bool,
    extras: Callable[[Path], Iterable[str]] | None = None,
    where: str = "",
) -> int:
    """Print the summary (unless ``quiet``), the failures and where the results are; then,
    only when every run succeeded, write the extras (a report, figures: ``extras(out)``
    yields a line per file written). Exit status 1 when any run failed."""
    if not quiet:
        print(summary())
    if failures:
        print(f"{len(failures)} run(s) failed (tracebacks in {out}/manifest.json); "
              "rerun the same command to retry them", file=sys.stderr)  # fmt: skip
    print(f"results written to {out}/{where}")
    if extras is not None and not failures and out is not None:
        for line in extras(Path(out)):
            print(line)
    return 1 if failures else 0
