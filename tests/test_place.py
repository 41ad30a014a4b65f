"""Placement (sim/staffing/place.py): equals an exhaustive search over bases on a small
county, on the same random numbers; bad arguments are one line, exit 2."""

from __future__ import annotations

import copy
import csv

import numpy as np
import pytest

from sim.cli import main
from sim.model import simulate
from sim.scenario.load import from_mapping
from sim.staffing.place import paired, place
from sim.staffing.place_moves import moves
from sim.world import build_world
from tests.helpers import EXAMPLES, example_raw

# four far-apart Pujiang townships; the heavy east one should pull the post
TOWNS = {"Puyang": 1.0, "Zhengjiawu": 10.0, "Tanxi": 1.0, "Huaqiao": 1.0}
TARGET = "mean(response_h) <= 24"
REPS = 5


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A four-township county on duty round the clock, 90 days; its scenario file."""
    folder = tmp_path_factory.mktemp("place")
    with open(EXAMPLES / "pujiang_townships.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["township"] in TOWNS]
    with open(folder / "towns.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        for r in rows:
            w.writerow({**r, "weight": TOWNS[r["township"]]})
    raw = example_raw()
    raw.update(horizon_days=90, warmup_days=10, replications=REPS, units={})
    raw["region"] = {"townships_csv": str(folder / "towns.csv")}
    raw["counties"]["Pujiang"]["deployment"] = {"model": "squadron", "officers": 4}
    raw["duty"] = {"always": True}  # travel, not office hours, decides response here
    import yaml

    path = folder / "small.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return raw, path


def _brute_force(raw, name: str) -> dict[str, float]:
    """Mean response with the one team posted at each township, same seed and reps."""
    out = {}
    for town in TOWNS:
        r = copy.deepcopy(raw)
        r["counties"]["Pujiang"]["deployment"] = None
        r["units"] = {name: {"model": "integrated", "county": "Pujiang", "officers": 2,
                             "townships": list(TOWNS), "posts": {town: 2}}}  # fmt: skip
        world = build_world(from_mapping(r, base_dir=EXAMPLES))
        means = []
        for rep in range(REPS):
            inc = simulate(world, raw["seed"], rep).incidents
            inc = inc[~inc["in_warmup"] & inc["reported_h"].notna()]
            wait = inc["arrived_h"].fillna(world.scenario.horizon_hours) - inc["reported_h"]
            means.append(float(wait.mean()))
        out[town] = float(np.mean(means))
    return out


def test_single_base_equals_exhaustive_search(small):
    raw, path = small
    p = place(path, "Pujiang", 2, "integrated", TARGET)
    ((name, unit),) = p.chosen.items()
    brute = _brute_force(raw, name)
    assert list(unit["posts"]) == [min(brute, key=brute.get)]
    assert unit["posts"] != next(iter(p.start.values()))["posts"]  # the search moved it
    assert p.value_chosen == pytest.approx(min(brute.values()))
    assert p.versus_generated.high < 0
    assert p.versus_today is not None  # the scenario's own squadron, on the same runs


def test_moves_keep_units_valid(small):
    raw, _ = small
    r = copy.deepcopy(raw)
    world = build_world(from_mapping(r, base_dir=EXAMPLES))
    layout = {"a": {"model": "stationed", "county": "Pujiang", "officers": 4,
                    "townships": ["Puyang", "Huaqiao"], "base_township": "Puyang"},
              "b": {"model": "stationed", "county": "Pujiang", "officers": 2,
                    "townships": ["Zhengjiawu", "Tanxi"],
                    "base_township": "Zhengjiawu"}}  # fmt: skip
    found = list(moves(layout, world, 2))
    texts = [m.text for m in found]
    assert "a: base Puyang -> Huaqiao" in texts
    assert "1 officer a -> b" in texts and "1 officer b -> a" not in texts
    for m in found:
        for u in m.layout.values():
            assert u["townships"] and u["base_township"] in u["townships"]
        assert sorted(t for u in m.layout.values() for t in u["townships"]) == sorted(TOWNS)


def test_paired_interval():
    p = paired(np.array([1.0, 2.0, 3.0]), np.array([2.0, 3.0, 4.5]))
    assert p.diff == pytest.approx(-7 / 6) and p.better
    assert not paired(np.array([1.0]), np.array([2.0])).better


@pytest.mark.parametrize(
    "args, words",
    [
        (["--county", "Nowhere", "--officers", "2", "--model", "integrated"], "Nowhere"),
        (["--county", "Pujiang", "--officers", "0", "--model", "integrated"], "at least 1"),
        (["--county", "Pujiang", "--officers", "2", "--model", "teleport"], "invalid choice"),
        (["--county", "Pujiang", "--officers", "2", "--model", "central"], "nothing to place"),
        (["--county", "Pujiang", "--officers", "2", "--model", "integrated",
          "--replications", "1"], "at least 2"),
        (["--county", "Pujiang", "--officers", "2", "--model", "integrated",
          "--target", "p90(nonsense_h) <= 3"], "nonsense_h"),
        (["--county", "Pujiang", "--officers", "2", "--model", "integrated",
          "--target", "mean(inspections_done_share) >= 0.9"], "lower limit"),
    ],
)  # fmt: skip
def test_bad_arguments_are_one_line(small, capsys, tmp_path, args, words):
    _, path = small
    try:
        code = main(["place", str(path), *args, "--out", str(tmp_path / "o")])
    except SystemExit as stop:  # argparse's usage errors
        code = stop.code
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and words in err


def test_command_writes_layout_and_csv(small, tmp_path, capsys):
    _, path = small
    out = tmp_path / "placed"
    assert main(["place", str(path), "--county", "Pujiang", "--officers", "2", "--model",
                 "integrated", "--target", TARGET, "--out", str(out), "--quiet"]) == 0  # fmt: skip
    assert {"layout.yaml", "placement.csv", "moves.csv", "placement.json", "placement_map.png"} <= {
        f.name for f in out.iterdir()
    }
    assert "units:" in (out / "layout.yaml").read_text(encoding="utf-8")
    html = (out / "report.html").read_text(encoding="utf-8")  # self-contained, names its answer
    assert "data:image/png;base64," in html and "<script" not in html
    assert "With 2 officers in Pujiang (integrated), post them as follows" in html
    assert (
        "than the generated layout" in html
        or "from the generated layout (" in html
        and "paired difference" in html
    )
    (out / "report.html").unlink()  # `report FOLDER` rebuilds it from the folder's files
    assert main(["report", str(out)]) == 0 and (out / "report.html").is_file()
