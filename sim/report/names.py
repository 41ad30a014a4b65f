"""Names people use for variants and units, instead of the file's keys.

A variant is called by the first clause of its own ``description`` (the one its compare
file gives it), else by what it changes from the reference (every county under one
deployment model), else by its key. A variant that only inherits the base scenario's
description never gets it: a counterfactual must not be called "Jinhua 2019 per the
article". A unit is called by its county, its deployment model in words and its base
township ("Yiwu squadron 2 at Choujiang").
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..experiment.results import Results
from .i18n import current, pick, tr

# model -> (one unit, every unit of a county), in English and Chinese (the article's terms:
# 派驻…所, 环境监察中队 划片管理, 统筹监管, 综合执法队伍)
MODEL_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "stationed": ("stationed office", "offices stationed in the townships"),
        "squadron": ("squadron", "zoned squadrons"),
        "central": ("central pool", "a central pool"),
        "integrated": ("integrated team", "an integrated county team"),
    },
    "zh": {
        "stationed": ("派驻执法所", "派驻乡镇的执法所"),
        "squadron": ("环境监察中队", "划片管理的中队"),
        "central": ("统筹执法组", "统筹监管"),
        "integrated": ("综合执法队", "县级综合执法队伍"),
    },
}
_CLAUSE = re.compile(r"[:;]\s|\.\s|\.$|\s[—–]\s|\s-\s")


def model_words(model: str, plural: bool = False) -> str:
    """A deployment model in words ("zoned squadrons"); unknown models as named."""
    words = MODEL_WORDS.get(current(), MODEL_WORDS["en"]).get(model)
    return words[plural] if words else model


def own_description(results: Results, variant: str) -> str:
    """The variant's own description, or "" when it only inherits the reference's."""
    ref = results.variants[0]
    text = str(results.scenarios[variant].get("description") or "").strip()
    if variant != ref and text == str(results.scenarios[ref].get("description") or "").strip():
        return ""
    return text


def variant_title(results: Results, variant: str) -> str:
    """A reader's name for a variant (in the report's language where the catalogue has
    it): its description's first clause, else what it changes, else its key."""
    text = own_description(results, variant)
    if text:
        return tr(_CLAUSE.split(text, maxsplit=1)[0].strip())
    derived = _derived(results, variant)
    return derived or variant


def description_rest(results: Results, variant: str) -> str:
    """The variant's own description after the clause its title is made of ("" if none)."""
    parts = _CLAUSE.split(own_description(results, variant), maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def variant_titles(results: Results) -> dict[str, str]:
    """Every variant's title; a title two variants share gets the key in brackets."""
    titles = {v: variant_title(results, v) for v in results.variants}
    counts = pd.Series(list(titles.values())).value_counts()
    return {v: t if counts[t] == 1 else f"{t} ({v})" for v, t in titles.items()}


def _derived(results: Results, variant: str) -> str:
    """ "Every county as zoned squadrons" when every county listed has one model."""
    ref = results.variants[0]
    if variant == ref:
        return ""
    mine = results.scenarios[variant].get("counties") or {}
    theirs = results.scenarios[ref].get("counties") or {}
    models = {c: _model(spec) for c, spec in mine.items()}
    if not models or models == {c: _model(s) for c, s in theirs.items()}:
        return ""
    kinds = set(models.values())
    if len(kinds) != 1 or None in kinds:
        return ""
    words = model_words(kinds.pop(), plural=True)
    if len(models) == 1:
        county = tr(next(iter(models)))
        return pick(f"{county} as {words}", f"{county}采用{words}")
    return pick(f"Every county as {words}", f"各县均采用{words}")


def _model(spec: Any) -> str | None:
    if not isinstance(spec, dict):
        return None
    return (spec.get("deployment") or {}).get("model")


def unit_title_column(units: pd.DataFrame, posts: pd.DataFrame) -> pd.Series:
    """Titles for a geography ``units`` frame (``posts`` counts an integrated team's
    bases); duplicates numbered in the frame's order."""
    n_posts = posts.groupby("unit").size() if not posts.empty else pd.Series(dtype=int)
    raw = []
    for r in units.itertuples():
        head = tr(r.county) + pick(" ", "") + model_words(r.model)
        k = int(n_posts.get(r.unit, 1))
        where = (
            pick(f"{k} posts", f"{k}个驻点")
            if k > 1
            else tr(r.base)
            if not r.base.endswith(" bureau")
            else pick("the county bureau", "县局")
        )
        raw.append((head, where, k > 1))
    counts = pd.Series([(h, w) for h, w, _ in raw]).value_counts()
    seen: dict[tuple[str, str], int] = {}
    out = []
    for head, where, spread in raw:
        if counts[(head, where)] > 1:
            seen[(head, where)] = seen.get((head, where), 0) + 1
            head = f"{head}{pick(' ', '')}{seen[(head, where)]}"
        if spread:
            out.append(pick(f"{head} ({where})", f"{head}（{where}）"))
        else:
            out.append(pick(f"{head} at {where}", f"{head}（驻{where}）"))
    return pd.Series(out, index=units.index, dtype=object)


def unit_titles(results: Results, variant: str, folder: str | Path | None = None) -> dict[str, str]:
    """Raw unit name -> "Yiwu squadron at Choujiang" for one variant's layout. Raises
    ``NoData`` when the layout cannot be rebuilt (as ``geography`` does)."""
    from .geography import geography  # geography titles its units with this module

    units = geography(results, variant, folder).units
    return dict(zip(units["unit"], units["title"], strict=True))


def region_names(folder: str | Path, results: Results | None = None) -> dict[str, str]:
    """Chinese names of this report's townships and counties, from the region tables it
    ran on (the folder's copies, else the ones the manifest names): ``name_zh`` and, where
    the table has it, ``county_zh``."""
    folder = Path(folder)
    paths = [folder / "townships.csv", *sorted(folder.glob("variants/*.townships.csv"))]
    if results is not None:
        paths += [Path(p) for p in (results.manifest.get("regions") or {}).values()]
    out: dict[str, str] = {}
    for path in dict.fromkeys(p for p in paths if p.is_file()):
        try:
            with open(path, newline="", encoding="utf-8-sig") as f:
                for row in csv.DictReader(f):
                    town, county = row.get("township") or "", row.get("county") or ""
                    county_zh = row.get("county_zh") or ""
                    if row.get("name_zh"):
                        out.setdefault(town, row["name_zh"])
                        where = f"（{county_zh}）" if county_zh else ""
                        out.setdefault(f"{town} ({county})", row["name_zh"] + where)
                    if county_zh:
                        out.setdefault(county, county_zh)
                        out.setdefault(f"{county} bureau", f"{county_zh}环保局")
        except (OSError, UnicodeDecodeError, csv.Error):
            continue  # a table we cannot read keeps its names in English
    return out


def variant_names(results: Results) -> dict[str, str]:
    """Variant key -> its title in the current language, for a translated report: a table
    cell or legend entry that is just the key reads as the variant's name."""
    titles = variant_titles(results)
    return {v: t for v, t in titles.items() if t != v}
