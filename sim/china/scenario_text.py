"""The starter scenario's YAML text: generated counties, Jinhua's defaults for the rest.

The text is built, not dumped, so every block carried over from Jinhua keeps its own
comments (sources, assumptions) and is marked with ``DEFAULT_MARK``: an analyst sees at a
glance which figures are still Jinhua's. Blocks are cut from the bundled
jinhua/baseline.yaml at its top-level keys, so a change there flows into new scenarios.
"""

from __future__ import annotations

import pandas as pd

from ..examples import bundled

DEFAULT_MARK = "# default carried over from Jinhua — replace with local figures"
BASELINE = "jinhua/baseline.yaml"
# Top-level blocks of Jinhua's baseline taken as they are (incident rates are per township,
# so Jinhua's per-township rate carries over); region, counties and units are generated.
CARRIED = ("seed", "horizon_days", "warmup_days", "calendar", "incident_types", "discovery",
           "duty", "travel", "enforcement", "inspections")  # fmt: skip


def _blocks(text: str) -> dict[str, list[str]]:
    """Each top-level key's lines, with the comment lines just above it (up to a blank)."""
    blocks: dict[str, list[str]] = {}
    pending: list[str] = []  # comment and blank lines not yet given to a block
    current: list[str] = []
    for line in text.splitlines():
        if line[:1] in ("", "#"):
            pending.append(line)
        elif line[:1] == " ":
            current.extend(pending + [line])
            pending = []
        else:  # a top-level key: the comments after the last blank line are its own
            cut = max((i + 1 for i, p in enumerate(pending) if not p.strip()), default=0)
            current = pending[cut:] + [line]
            blocks[line.split(":", 1)[0]] = current
            pending = []
    return blocks


def _bureaus(rows: pd.DataFrame) -> pd.Series:
    """Each county's bureau: its first 街道 with a point of its own (the seat is usually
    one), else its first unit with a point, else its first unit, in code order. One pass
    over all rows (a per-county filter costs 13 s for the country's 2,855 counties)."""
    own = rows["note"] == ""
    rank = (~own).astype(int) * 2 + (own & (rows["type"] != "subdistrict")).astype(int)
    ranked = rows.assign(_rank=rank).sort_values("_rank", kind="stable")
    return ranked.groupby("county", sort=False)["township"].first()


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def scenario_text(
    name: str, title: str, rows: pd.DataFrame, *, model: str, officers_per_township: float
) -> str:
    """The whole scenario file (it extends nothing, so it runs alone)."""
    blocks = _blocks(bundled(BASELINE).read_text(encoding="utf-8"))
    out = [
        f"# Starter scenario for {title}, written by `enforcement-sim init`.",
        "# Region: townships.csv (NBS 2016 units, known later changes applied; see README.md).",
        "# Every block marked below is Jinhua's 2019 figure, not this area's: replace them.",
        f"name: {name}",
        f"description: {_quoted(f'Starter scenario for {title}; Jinhua defaults, replace.')}",
    ]
    for key in CARRIED:
        block = blocks[key]
        if len(block) == 1:  # a one-line key: mark it on the line
            out.append(f"{block[0]}  {DEFAULT_MARK}")
            continue
        out += ["", DEFAULT_MARK, *block]
    out += ["", "region:", "  townships_csv: townships.csv", "",
            f"# Generated: one block per county, {model} model, officers = round("
            f"{officers_per_township:g} x townships),", "# at least 2 (a legal team). The "
            "bureau is the first 街道 with its own point: replace both", "# with the county's "
            "real seat and head count.", "counties:"]  # fmt: skip
    groups = rows.groupby("county", sort=False)
    bureaus, sizes, chinese = _bureaus(rows), groups.size(), groups["county_zh"].first()
    for county, n in sizes.items():
        officers = max(2, round(officers_per_township * n))
        out += [
            f"  {_quoted(str(county))}:  # {chinese[county]}, {n} townships",
            f"    bureau_township: {_quoted(str(bureaus[county]))}",
            f"    deployment: {{model: {model}, officers: {officers}}}",
        ]
    return "\n".join(out) + "\n"


def compare_text(name: str, rows: pd.DataFrame, *, officers_per_township: float) -> str:
    """A compare file: each deployment model in every county, same head counts, same
    incidents (common random numbers), as jinhua/deployment_models.yaml does for Jinhua."""
    from ..registry import DEPLOYMENT_MODELS

    counts = {
        str(county): max(2, round(officers_per_township * n))
        for county, n in rows.groupby("county", sort=False).size().items()
    }
    out = [
        "# Every county under each deployment model, with the head counts of scenario.yaml",
        "# and the same incidents. Read the results by county (scope `county`).",
        f"name: {name}-deployment-models",
        "base: scenario.yaml",
        "variants:",
    ]
    for model in DEPLOYMENT_MODELS.names():
        out += [f"  {model}:", "    counties:"]
        out += [
            f"      {_quoted(c)}: {{deployment: {{model: {model}, officers: {n}}}}}"
            for c, n in counts.items()
        ]
    return "\n".join(out) + "\n"
