"""Finding a province, prefecture or county of mainland China by code, Chinese name or
pinyin, with did-you-mean for a miss and the full candidate list for an ambiguous name.

Ties are broken in one fixed way, most specific evidence first:

1. A 6-digit code names one unit. A code that is both a province and a prefecture (the
   municipalities, 110000 北京市) or both a prefecture and a county (441900 东莞市, 429004
   仙桃市) is the larger unit. The NBS virtual codes of the municipalities' districts
   (110100 市辖区, 500200 县 …) mean the municipality.
2. A Chinese name with its suffix (金华市, 朝阳区, 吉林省) matches full names only: the suffix
   says the level, so 吉林市 is the prefecture 220200 and 吉林省 the province 220000.
3. A Chinese name without a suffix (金华, 吉林, 浙江) and then pinyin (Jinhua, "Jin Hua";
   spaces, apostrophes, case and ü/v ignored) match the stems. When units of different levels
   match, the largest wins (吉林 → the province; 朝阳 → 朝阳市, the prefecture, not the
   counties 朝阳区/朝阳县), since the suffix did not say otherwise.

Several matches at the chosen level raise :class:`AmbiguousPlace` listing every candidate
as "code name (prefecture, province)" (朝阳区: 110105 in Beijing and 220104 in Changchun);
no match raises :class:`UnknownPlace` with close names (difflib, on Chinese and pinyin).
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field, replace
from typing import Literal

from ..errors import ScenarioError
from . import data
from .names import ascii_key, pinyin, romanise, stem

Level = Literal["country", "province", "prefecture", "county"]
_RANK = {"province": 0, "prefecture": 1, "county": 2}
_MUNICIPAL_VIRTUAL = {"110100": "110000", "120100": "120000", "120200": "120000",
                      "310100": "310000", "310200": "310000", "500100": "500000",
                      "500200": "500000"}  # fmt: skip


@dataclass(frozen=True)
class Area:
    """A province, prefecture (or prefecture-equivalent) or county, with every county-level
    unit (6-digit code) inside it, so callers handle all three the same way."""

    level: Level
    code: str
    name_zh: str
    name_en: str
    province: str
    prefecture: str | None  # None for a province
    county_codes: list[str] = field(default_factory=list)

    def label(self) -> str:
        """The form error messages use: code name (prefecture, province)."""
        where = list(
            dict.fromkeys(  # 北京市 is both prefecture and province: named once
                p for p in (self.prefecture, self.province) if p and p != self.name_zh
            )
        )
        return f"{self.code} {self.name_zh}" + (f" ({', '.join(where)})" if where else "")


class UnknownPlace(ScenarioError):
    """No province, prefecture or county has this code or name."""

    def __reduce__(self):
        return (type(self), (self.path, self.message, self.file))


class AmbiguousPlace(ScenarioError):
    """Several units of the same level share the name; the code tells them apart."""

    def __reduce__(self):
        return (type(self), (self.path, self.message, self.file))


@functools.cache
def areas() -> tuple[Area, ...]:
    """Every province, prefecture and county of the table, one Area per code (a code that
    names two levels is kept once, as the larger unit). Built on first use."""
    towns = data.townships()
    seen: dict[str, Area] = {}

    def add(level: Level, code: str, name: str, province: str, prefecture: str | None,
            counties: list[str]) -> None:  # fmt: skip
        if code not in seen:
            en = romanise(name, kind=level)
            seen[code] = Area(level, code, name, en, province, prefecture, sorted(counties))

    by_county = towns.drop_duplicates("county_code")
    for code, rows in by_county.groupby("province_code", sort=True):
        add("province", code, rows["province"].iloc[0], rows["province"].iloc[0], None,
            list(rows["county_code"]))  # fmt: skip
    for code, rows in by_county.groupby("prefecture_code", sort=True):
        first = rows.iloc[0]
        add("prefecture", code, first["prefecture"], first["province"], first["prefecture"],
            list(rows["county_code"]))  # fmt: skip
    for row in by_county.itertuples(index=False):
        add("county", row.county_code, row.county, row.province, row.prefecture,
            [row.county_code])  # fmt: skip
    return tuple(seen.values())


@functools.cache
def _index() -> dict[str, dict[str, list[Area]]]:
    """Look-up tables: full Chinese name, Chinese stem, pinyin key (of stem and full name)."""
    index: dict[str, dict[str, list[Area]]] = {"full": {}, "stem": {}, "pinyin": {}}
    for area in areas():
        short = stem(area.name_zh, kind=area.level)
        index["full"].setdefault(area.name_zh, []).append(area)
        index["stem"].setdefault(short, []).append(area)
        keys = {ascii_key(area.name_en), ascii_key(pinyin(area.name_zh))}
        for key in keys:
            index["pinyin"].setdefault(key, []).append(area)
    return index


def find_area(query: str, *, argument: str = "--city") -> Area:
    """The unit ``query`` names: a 6-digit code, a Chinese name with or without its suffix,
    or pinyin. Ties are broken as the module docstring says. ``argument`` names the option
    in error messages ("--city: …").

    Raises UnknownPlace (with suggestions) or AmbiguousPlace (with every candidate)."""
    area = _find(str(query).strip(), argument)
    return replace(area, county_codes=list(area.county_codes))  # the cached list stays intact


def _find(text: str, argument: str) -> Area:
    if not text:
        raise UnknownPlace(argument, "empty place name; give a code, a Chinese name or pinyin")
    by_code = {a.code: a for a in areas()}
    if text.isdigit():
        code = _MUNICIPAL_VIRTUAL.get(text, text)
        if code in by_code:
            return by_code[code]
        raise UnknownPlace(
            argument,
            f"no province, prefecture or county has code {text}"
            + ("" if len(text) == 6 else " (codes have 6 digits: 330000, 330700, 330702)")
            + _suggest(text, list(by_code)),
        )
    index = _index()
    for table, key in (("full", text), ("stem", text), ("pinyin", ascii_key(text))):
        found = index[table].get(key) if key else None
        if found:
            return _pick(found, text, argument)
    raise UnknownPlace(
        argument, f"no province, prefecture or county is called {text!r}" + _suggest(text)
    )


def _pick(found: list[Area], text: str, argument: str) -> Area:
    top = min(_RANK[a.level] for a in found)
    best = sorted({a.code: a for a in found if _RANK[a.level] == top}.values(),
                  key=lambda a: a.code)  # fmt: skip
    if len(best) == 1:
        return best[0]
    listed = "; ".join(a.label() for a in best)
    raise AmbiguousPlace(argument, f"{text!r} names {len(best)} {best[0].level} units: "
                         f"{listed}; pass the code instead")  # fmt: skip


def _suggest(text: str, codes: list[str] | None = None) -> str:
    """The "; did you mean A or B?" tail, up to five units, best first: for a Chinese query the
    units that sound the same (金化 → 金华市, a homophone typed by a pinyin input method),
    then close names by difflib ratio (Chinese names against Chinese, pinyin against pinyin);
    for a code, the unit its first four (or two) digits name and the nearest codes in it."""
    index, by_code = _index(), {a.code: a for a in areas()}
    hits: dict[str, Area] = {}
    if codes is not None:  # the enclosing unit, then the numerically nearest in it
        for n in (4, 2):
            target = int(text[:6].ljust(6, "0"))  # a 12-digit town code: its county
            near = sorted(
                (c for c in codes if c.startswith(text[:n])), key=lambda c: abs(int(c) - target)
            )
            parent = text[:n].ljust(6, "0")
            for code in [parent] * (parent in by_code) + near:
                hits.setdefault(code, by_code[code])
            if hits:
                break
    elif text.isascii():
        keys = list(index["pinyin"])
        for key in difflib.get_close_matches(ascii_key(text), keys, n=8, cutoff=0.6):
            for area in index["pinyin"][key]:
                hits.setdefault(area.code, area)
    else:
        for area in index["pinyin"].get(ascii_key(pinyin(text)), []):
            hits.setdefault(area.code, area)
        keys = list(dict.fromkeys([*index["full"], *index["stem"]]))
        # two- and three-character names: one wrong character is a ratio of 0.5
        for key in difflib.get_close_matches(text, keys, n=8, cutoff=0.5):
            for area in [*index["full"].get(key, []), *index["stem"].get(key, [])]:
                hits.setdefault(area.code, area)
    if not hits:
        return ""
    return "; did you mean " + " or ".join(a.label() for a in list(hits.values())[:5]) + "?"
