"""Romanised place names from the Chinese ones, by pypinyin (no hand table).

Names follow the official style for place names: the administrative suffix (街道, 镇, 乡,
区, 县, 市, 自治县 …) and any ethnic qualifier before it (柳城畲族镇 → Liucheng) are dropped,
the syllables are joined without tones, the first letter is a capital, and an apostrophe
separates a syllable that starts with a, o or e from the one before (西安 → Xi'an). ü is
kept after n and l (吕 → Lü), as the Hanyu Pinyin scheme writes it. A name whose stem would
be a single character keeps its suffix (赣县 → Ganxian), as official romanisations do.
Heteronyms take pypinyin's default reading, which uses its phrase dictionary (长沙 →
Changsha); a local reading that differs from it must be corrected by hand.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import pandas as pd

# Longest first: 民族乡 before 乡, 街道办事处 before 办事处, 自治县 before 县.
_TOWN_SUFFIXES = (
    "街道办事处", "民族苏木", "地区办事处", "民族乡", "民族镇", "办事处", "街道", "苏木",
    "地区", "镇", "乡",
)  # fmt: skip
_AREA_SUFFIXES = (
    "维吾尔自治区", "自治区", "自治州", "自治县", "自治旗", "特别行政区", "地区", "林区",
    "特区", "新区", "矿区", "省", "市", "区", "县", "旗", "盟",
)  # fmt: skip
_AREA_KINDS = {"province", "prefecture", "county"}

# The 55 minority nationalities, 汉 and 各 (各族), as written before 族 in an autonomous name;
# only ever removed when followed by 族 at the end of a stem (景宁畲族 → 景宁).
_ETHNIC = (  # noqa: SIM905 (a list literal of 57 names would take 15 lines)
    "柯尔克孜 乌孜别克 哈萨克 塔吉克 达斡尔 俄罗斯 鄂温克 鄂伦春 维吾尔 塔塔尔 蒙古 布依 "
    "朝鲜 土家 哈尼 傈僳 拉祜 东乡 纳西 景颇 仫佬 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 德昂 "
    "保安 裕固 独龙 赫哲 门巴 珞巴 基诺 高山 汉 回 藏 苗 彝 壮 满 侗 瑶 白 傣 黎 佤 畲 水 "
    "土 羌 怒 京 各"
).split()
_ETHNIC_TAIL = re.compile("(?:" + "|".join(_ETHNIC) + ")族$")
_VOWEL_START = re.compile(r"^[aoe]")
_NOTE = re.compile(r"[（(][^（()）]*[)）]")  # a bracketed note in an NBS name


def _clean(name_zh: str) -> str:
    """Without bracketed notes, full-width digits as ASCII (八五０农场 → 八五0农场)."""
    name = unicodedata.normalize("NFKC", name_zh).strip()
    return _NOTE.sub("", name).strip() or name


def stem(name_zh: str, *, kind: str | None = None) -> str:
    """The name without bracketed notes, its administrative suffix and ethnic qualifiers
    (婺城区 → 婺城, 柳城畲族镇 → 柳城, 景宁畲族自治县 → 景宁, 广西壮族自治区 → 广西,
    劝农山镇（…度假区） → 劝农山); the whole name when the stem would be one character
    (赣县). ``kind`` "province"/"prefecture"/"county" uses the area suffixes, a township
    kind (subdistrict, town, township, other) the township ones, None both."""
    name = _clean(name_zh)
    if kind is None:
        suffixes = sorted({*_TOWN_SUFFIXES, *_AREA_SUFFIXES}, key=len, reverse=True)
    else:
        suffixes = _AREA_SUFFIXES if kind in _AREA_KINDS else _TOWN_SUFFIXES
    short = name
    for suffix in suffixes:
        if short.endswith(suffix) and len(short) > len(suffix):
            short = short[: -len(suffix)]
            break
    while (match := _ETHNIC_TAIL.search(short)) and match.start() >= 2:
        short = short[: match.start()]
    return short if len(short) >= 2 else name


@functools.cache
def _syllables(text: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin  # its dictionaries load on first use only

    return tuple(lazy_pinyin(text, style=Style.NORMAL, v_to_u=True, errors="default"))


def pinyin(text: str, *, context: str | None = None) -> str:
    """``text`` in toneless pinyin, syllables joined with the official apostrophe, lower
    case (西安 → xi'an); characters pypinyin does not know are kept as they are.

    ``context``, a longer name that starts with ``text`` (the full name of a stem), is read
    whole and cut back, because pypinyin's phrase dictionary reads some heteronyms right
    only with the suffix: 朝阳区 is chao-yang, bare 朝阳 zhao-yang."""
    syllables = None
    if context and context.startswith(text) and context != text:
        whole = _syllables(context)
        if len(whole) == len(context):  # one syllable per character: safe to cut
            syllables = whole[: len(text)]
    if syllables is None:
        syllables = _syllables(text)
    out = ""
    for syllable in syllables:
        syllable = syllable.lower()
        if out and _VOWEL_START.match(syllable) and out[-1].isalpha():
            out += "'"
        out += syllable
    return out  # pypinyin writes ü only after n and l (nü, lü), ju/qu/xu/yu plain


@functools.cache
def romanise(name_zh: str, *, kind: str | None = None) -> str:
    """The romanised place name: suffix dropped (see :func:`stem`), pinyin without tones,
    syllables joined, first letter capital, apostrophe before a/o/e syllables
    ("城东街道" → "Chengdong", "婺城区" → "Wucheng", "西安市" → "Xi'an")."""
    full = _clean(name_zh)
    text = pinyin(stem(full, kind=kind), context=full)
    return text[:1].upper() + text[1:]


def ascii_key(text: str) -> str:
    """A search key: lower case ASCII letters only ("Jin Hua", "xi'an", "Lü" → "jinhua",
    "xian", "lv"), so spacing, apostrophes and ü spellings do not matter."""
    text = text.lower().replace("ü", "v")
    return re.sub(r"[^a-z]", "", text)


def unique_names(frame: pd.DataFrame) -> pd.Series:
    """Romanised township names, unique within ``frame``: a name that occurs more than once
    gets its county's romanised name, "Chengdong (Wucheng)", as in scenarios/jinhua/; if
    that still repeats (two same-named units in one county), the town code is appended.
    ``frame`` has the township table's ``name``, ``county`` and ``town_code`` columns (and
    ``kind``, if present, picks the suffix set); the result is aligned with its index."""
    kinds = frame["kind"] if "kind" in frame else pd.Series(None, index=frame.index)
    pairs = zip(frame["name"], kinds, strict=True)
    base = pd.Series(
        [romanise(n, kind=k if isinstance(k, str) else None) for n, k in pairs],
        index=frame.index, dtype=object,
    )  # fmt: skip
    dup = base.duplicated(keep=False)
    counties = frame["county"].map(lambda c: romanise(c, kind="county"))
    named = base.where(~dup, base + " (" + counties + ")")
    again = named.duplicated(keep=False)
    return named.where(~again, named.str[:-1] + ", " + frame["town_code"].astype(str) + ")")
