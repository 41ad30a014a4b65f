"""Names people use: variants by what they are, units by county, model and base township.

No simulation: the compare files are expanded and their layouts built, as the report
does from a results folder.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from sim.experiment.plans import compare_variants
from sim.report.geography import NoData, _geography
from sim.report.i18n import language
from sim.report.names import model_words, unit_titles, variant_title, variant_titles

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "scenarios" / "jinhua" / "deployment_models.yaml"
PUJIANG = ROOT / "scenarios" / "compare_models.yaml"
CJK = re.compile(r"[\u3400-\u9fff]")


def _expanded(path: Path) -> tuple[Any, list[Any]]:
    """A stand-in for a results folder's ``Results``: the variants' resolved scenarios."""
    _, variants = compare_variants(path, [])
    scenarios = {v.name: v.loaded.scenario.model_dump(mode="json") for v in variants}
    return SimpleNamespace(variants=list(scenarios), scenarios=scenarios, manifest={}), variants


@pytest.fixture(scope="module")
def models() -> tuple[Any, list[Any]]:
    return _expanded(MODELS)


def test_reference_is_todays_deployment_and_counterfactuals_never_claim_it(models):
    results, _ = models
    titles = variant_titles(results)
    assert titles["baseline"] == "Today's deployment (2019, per the article)"
    assert titles["squadron"] == "Every county as zoned squadrons"
    assert titles["integrated"] == "Every county as an integrated county team"
    assert titles["weekend_team"] == "Today's units with a weekend duty team"
    for v in results.variants[1:]:
        assert titles[v] != titles["baseline"]
        assert "per the article" not in titles[v]
    assert len(set(titles.values())) == len(titles)


def test_titles_derived_when_the_compare_file_gives_no_descriptions(models):
    results, _ = models
    inherited = "Jinhua 2019 per the article"  # what the base says of itself
    bare = SimpleNamespace(
        variants=results.variants,
        scenarios={v: {**s, "description": inherited} for v, s in results.scenarios.items()},
        manifest={},
    )
    assert variant_title(bare, "baseline") == "Jinhua 2019 per the article"
    assert variant_title(bare, "squadron") == "Every county as zoned squadrons"
    assert variant_title(bare, "stationed") == (
        f"Every county as {model_words('stationed', plural=True)}"
    )
    assert variant_title(bare, "weekend_team") == "weekend_team"  # nothing to say: its key
    for v in bare.variants[1:]:
        assert "per the article" not in variant_title(bare, v)


def test_every_variant_of_the_jinhua_compare_files_has_its_own_description():
    for path in [*sorted((ROOT / "scenarios" / "jinhua").glob("*.yaml")), PUJIANG]:
        text = path.read_text(encoding="utf-8")
        if "\nvariants:" not in text:
            continue
        results, _ = _expanded(path)
        titles = variant_titles(results)
        for v in results.variants[1:]:
            assert titles[v] != v, f"{path.name}: {v} has no description of its own"
            assert "per the article" not in titles[v], f"{path.name}: {v}"
            desc = results.scenarios[v]["description"]
            assert "counterfactual" in desc, f"{path.name}: {v} does not say it is one"


def test_generated_squadron_named_by_county_model_and_base_township():
    _, variants = _expanded(PUJIANG)
    squadron = next(v for v in variants if v.name == "squadron")
    units = _geography(squadron.loaded).units
    assert len(units) > 1
    for row in units.itertuples():
        assert row.title.startswith("Pujiang squadron ")
        assert row.title.endswith(f" at {row.base}")
    assert units["title"].is_unique  # squadrons sharing the bureau are numbered
    integrated = next(v for v in variants if v.name == "integrated")
    (title,) = _geography(integrated.loaded).units["title"]
    assert re.fullmatch(r"Pujiang integrated team \(\d+ posts\)", title)


def test_unit_titles_in_chinese_and_without_a_layout(models):
    _, variants = models
    baseline = next(v for v in variants if v.name == "baseline")
    names = {"Yiwu": "义乌市", "Lanxi": "兰溪市", "Yunshan": "云山街道"}
    with language("zh", names):
        units = _geography(baseline.loaded).units.set_index("unit")["title"]
    assert units["lanxi-yunshan"] == "兰溪市派驻执法所（驻云山街道）"
    assert all(CJK.search(t) for t in units)
    nothing = SimpleNamespace(variants=["x"], scenarios={"x": {}}, manifest={})
    with pytest.raises(NoData):
        unit_titles(nothing, "x")


def test_variant_titles_in_chinese(models):
    results, _ = models
    with language("zh"):
        titles = variant_titles(results)
    assert all(CJK.search(t) for t in titles.values()), titles
