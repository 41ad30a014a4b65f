"""Known changes to township-level units since the 2016 table, applied by ``init``.

The packaged table is the NBS 2016 list (cut-off 2016-07-31). Divisions change every
year; where a change is known and checked against a later list, it is recorded here so a
generated scenario has today's units, not 2016's. Each entry names its evidence.

Jinhua (330700) is the one prefecture checked row by row so far (the data folder's
SOURCES.md, "Jinhua check", against scenarios/jinhua/, the NBS 2019 list): the 2016 table
has 152 units, 2019 has 147. All five extra units are in 磐安县 (Pan'an, 330727), which
merged 19 units into 14 in 2018; the other eight counties agree unit for unit. Four of
Pan'an's surviving units were recoded (two towns became 街道). So the difference is a
merger, not development zones or other non-administrative units: dropping ``kind ==
"other"`` would not give 147 (Jinhua has no such unit in the table).
"""

from __future__ import annotations

from typing import NamedTuple


class Change(NamedTuple):
    code: str  # the 12-digit 2016 code
    year: int
    new_code: str  # "" = merged into a neighbour: the unit is dropped
    new_name: str  # "" = name unchanged
    new_kind: str  # "" = kind unchanged
    note: str


_PANAN_2018 = "Pan'an (磐安县) 2018 reform: 19 units merged into 14 (NBS 2019 list)"

CHANGES: tuple[Change, ...] = (
    Change("330727200000", 2018, "", "", "", f"深泽乡 merged away; {_PANAN_2018}"),
    Change("330727207000", 2018, "", "", "", f"高二乡 merged away; {_PANAN_2018}"),
    Change("330727208000", 2018, "", "", "", f"维新乡 merged away; {_PANAN_2018}"),
    Change("330727209000", 2018, "", "", "", f"胡宅乡 merged away; {_PANAN_2018}"),
    Change("330727210000", 2018, "", "", "", f"万苍乡 merged away; {_PANAN_2018}"),
    Change("330727100000", 2018, "330727001000", "安文街道", "subdistrict", _PANAN_2018),
    Change("330727101000", 2018, "330727002000", "新渥街道", "subdistrict", _PANAN_2018),
    Change("330727102000", 2018, "330727109000", "", "", _PANAN_2018),
    Change("330727206000", 2018, "330727212000", "", "", _PANAN_2018),
)


def by_code() -> dict[str, Change]:
    """The changes keyed by their 2016 code."""
    return {c.code: c for c in CHANGES}
