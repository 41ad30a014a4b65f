"""The packaged China table (sim/china/tables), finding a place in it, and romanised names.

The table ships as package data and is read only when asked for; lookups accept a code, a
Chinese name (with or without its suffix) or pinyin, and every failure is one line naming the
argument, with did-you-mean or the list of candidates.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from importlib import resources

import pandas as pd
import pytest
from conftest import ROOT

from sim.china import (
    ATTRIBUTION,
    AmbiguousPlace,
    UnknownPlace,
    counties,
    find_area,
    romanise,
    townships,
    unique_names,
)
from sim.china.data import PACKAGE
from sim.errors import ScenarioError

JINHUA = ROOT / "scenarios" / "jinhua" / "townships.csv"


def test_tables_are_whole_and_codes_are_strings():
    towns = townships()
    assert len(towns) == 42950 and towns["town_code"].is_unique
    assert {"town_code", "name", "county_code", "prefecture_code", "province_code",
            "lon_wgs84", "lat_wgs84", "coord_source", "kind"} <= set(towns)  # fmt: skip
    assert towns["county_code"].str.fullmatch(r"\d{6}").all()
    assert towns["lon_wgs84"].isna().sum() == (towns["coord_source"] == "missing").sum() == 5041
    assert (towns["prefecture_code"] == "330700").sum() == 152  # 2016: Pan'an's 19, not 14
    towns.loc[:, "name"] = "x"  # a copy: the cache is untouched
    assert townships()["name"].iloc[0] == "东华门街道"
    table = counties()
    assert len(table) == 2855 and (table.loc[table.county_code == "330702", "province_code"]
                                   == "330000").all()  # fmt: skip


@pytest.mark.parametrize(
    ("query", "level", "code"),
    [
        ("330700", "prefecture", "330700"),
        ("金华", "prefecture", "330700"),
        ("金华市", "prefecture", "330700"),
        ("Jinhua", "prefecture", "330700"),
        ("jinhua", "prefecture", "330700"),
        (" Jin Hua ", "prefecture", "330700"),
        ("330000", "province", "330000"),
        ("浙江", "province", "330000"),
        ("浙江省", "province", "330000"),
        ("330782", "county", "330782"),
        ("婺城区", "county", "330702"),
        ("吉林", "province", "220000"),  # no suffix: the larger unit
        ("吉林市", "prefecture", "220200"),  # the suffix says
        ("吉林省", "province", "220000"),
        ("Xi'an", "prefecture", "610100"),
        ("110000", "province", "110000"),  # a municipality is the province
        ("110100", "province", "110000"),  # NBS virtual 市辖区 code
        ("441900", "prefecture", "441900"),  # 东莞: no county level
    ],
)
def test_find_area(query, level, code):
    area = find_area(query)
    assert (area.level, area.code) == (level, code)


def test_area_lists_its_counties():
    jinhua = find_area("金华")
    assert (jinhua.name_zh, jinhua.name_en, jinhua.province) == ("金华市", "Jinhua", "浙江省")
    assert len(jinhua.county_codes) == 9 and "330702" in jinhua.county_codes
    assert len(find_area("浙江").county_codes) == 90
    assert find_area("330702").county_codes == ["330702"]


def test_same_name_at_one_level_is_ambiguous():
    with pytest.raises(AmbiguousPlace) as caught:
        find_area("朝阳区")
    text = str(caught.value)
    assert "\n" not in text and text.startswith("--city: ")
    assert "110105 朝阳区 (北京市)" in text and "220104 朝阳区 (长春市, 吉林省)" in text
    assert "code" in text.split(";")[-1]
    assert isinstance(caught.value, ScenarioError)
    assert type(pickle.loads(pickle.dumps(caught.value))) is AmbiguousPlace


@pytest.mark.parametrize(
    ("query", "suggested"),
    [("金化", "330700 金华市"), ("Jinhau", "330700 金华市"), ("hangzou", "330100 杭州市"),
     ("330101", "330100 杭州市"), ("浙江生", "330000 浙江省")],
)  # fmt: skip
def test_unknown_place_suggests(query, suggested):
    with pytest.raises(UnknownPlace) as caught:
        find_area(query, argument="--county")
    text = str(caught.value)
    assert text.startswith("--county: ") and "\n" not in text
    assert "did you mean" in text and suggested in text


@pytest.mark.parametrize(
    ("name", "kind", "roman"),
    [("城东街道", None, "Chengdong"), ("兰江街道", "subdistrict", "Lanjiang"),
     ("婺城区", "county", "Wucheng"), ("西安市", "prefecture", "Xi'an"),
     ("磐安县", "county", "Pan'an"), ("柳城畲族镇", "town", "Liucheng"),
     ("景宁畲族自治县", "county", "Jingning"), ("广西壮族自治区", "province", "Guangxi"),
     ("赣县", "county", "Ganxian"), ("履坦镇", "town", "Lütan"), ("朝阳区", None, "Chaoyang")],
)  # fmt: skip
def test_romanise(name, kind, roman):
    assert romanise(name, kind=kind) == roman


def test_unique_names_reproduce_jinhua():
    """143 of the 147 hand-romanised names; the four others are known and differ only by
    convention (Lyu/Nyu for Lü/Nü, no apostrophe in Chian) or a heteronym (长山 Zhangshan)."""
    hand = pd.read_csv(JINHUA, dtype=str)
    frame = pd.DataFrame({"name": hand.name_zh, "county": hand.county_zh,
                          "town_code": hand.code, "kind": hand.type})  # fmt: skip
    ours = unique_names(frame)
    assert ours.iloc[0] == "Chengdong (Wucheng)" and ours.is_unique
    differ = dict(zip(hand.township[ours != hand.township], ours[ours != hand.township],
                      strict=True))  # fmt: skip
    assert differ == {"Changshan": "Zhangshan", "Lyutan": "Lütan", "Nyubu": "Nübu",
                      "Chian": "Chi'an"}  # fmt: skip


def test_attribution_goes_with_the_packaged_data():
    folder = resources.files(PACKAGE)
    for name in ("README.md", "SOURCES.md"):
        assert ATTRIBUTION in (folder / name).read_text(encoding="utf-8"), name
    assert ATTRIBUTION in (ROOT / "README.md").read_text(encoding="utf-8")


def test_nothing_is_read_at_import():
    """A fresh interpreter imports sim.china without opening the township table (an audit
    hook sees every open); the first call opens it."""
    code = (
        "import sys\n"
        "seen = []\n"
        "sys.addaudithook(lambda e, a: e == 'open' and 'townships.csv' in str(a[0])"
        " and seen.append(a[0]))\n"
        "import sim.china\n"
        "assert not seen, seen\n"
        "sim.china.townships()\n"
        "assert seen\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
