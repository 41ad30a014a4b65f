"""Tables the report and the figures share: a scope of the summary, kept incidents, the ranking.

Kept apart from plotting so a notebook can get the numbers behind a figure (the
ranking above all, which is a table first and a picture second) without drawing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..experiment.results import Results
from ..stats.intervals import across_replications

MONTH_DAYS = 30.0


def by_variant(
    results: Results,
    scope: str = "all",
    indicators: Sequence[str] | None = None,
    variants: Sequence[str] | None = None,
) -> pd.DataFrame:
    """``summary`` rows of one scope, in the results' variant order and the given indicators'."""
    s = results.summary
    s = s[s["scope"] == scope]
    variants = list(variants or results.variants)
    s = s[s["variant"].isin(variants)]
    if indicators is not None:
        s = s[s["indicator"].isin(indicators)]
        order = {k: i for i, k in enumerate(indicators)}
        s = s.assign(_i=s["indicator"].map(order))
    else:
        s = s.assign(_i=0)
    s = s.assign(_v=s["variant"].map({v: i for i, v in enumerate(variants)}))
    return s.sort_values(["_v", "_i"], kind="stable").drop(columns=["_v", "_i"])


def kept_incidents(results: Results, variant: str | None = None) -> pd.DataFrame:
    """Incidents that count (started after the warm-up), of one variant or all."""
    inc = results.incidents
    if inc.empty:
        return inc
    if variant is not None:
        inc = inc[inc["variant"] == variant]
    return inc[~inc["in_warmup"].astype(bool)]


def monthly_ranking(
    results: Results, variant: str | None = None, folder: str | Path | None = None
) -> pd.DataFrame:
    """The article's monthly township ranking (proposal 2), one row per township and month.

    Score: **pollution-hours of the incidents that started in the month** (mean over
    replications), rank 1 = fewest. That is what monitoring data would show the public:
    it grows with how often a township pollutes, how late its grid finds it and how
    long enforcement takes, so a township cannot rank well by any one of them alone.
    Months are whole 30-day periods after the warm-up; a last, shorter period is left
    out so every month is judged on the same length of time. Ties share the best rank.
    Every township of the region is ranked, those without incidents too (read from the
    region CSV, found as for maps: ``folder`` or the scenario's source file).
    """
    variant = variant or results.variants[0]
    inc, months = _by_month(results, variant)
    if inc.empty:
        return pd.DataFrame()
    inc = inc.assign(response_h=inc["arrived_h"] - inc["reported_h"])
    reps = max(1, int(results.incidents.loc[results.incidents["variant"] == variant,
                                            "replication"].nunique()))  # fmt: skip
    county_of = _region_counties(results, variant, folder)
    names = list(county_of)
    grid = pd.MultiIndex.from_product([names, range(1, months + 1)], names=["township", "month"])
    township = inc["township"].astype(str)
    g = inc.groupby([township, inc["month"]])
    table = pd.DataFrame(
        {
            "incidents": g.size() / reps,
            "pollution_hours": g["pollution_hours"].sum() / reps,
            "discovered_share": g["discovered_h"].count() / g.size(),
            "attended": g["response_h"].count() / reps,
            "response_h_mean": g["response_h"].mean(),
        }
    ).reindex(grid)
    counts = ["incidents", "pollution_hours", "attended"]
    table[counts] = table[counts].fillna(0.0)
    table = table.reset_index()
    table.insert(1, "county", table["township"].map(county_of))
    table["rank"] = (
        table.groupby("month")["pollution_hours"].rank(method="min", ascending=True).astype(int)
    )
    return table.sort_values(["month", "rank", "township"]).reset_index(drop=True)


def _by_month(results: Results, variant: str) -> tuple[pd.DataFrame, int]:
    """The variant's kept incidents with their month (1 = the first whole 30-day period
    after the warm-up; a last, shorter period is dropped), and the number of months; an
    empty frame when there is no whole month."""
    inc = kept_incidents(results, variant)
    sc = results.scenarios[variant]
    warmup_h = float(sc["warmup_days"]) * 24
    months = int((float(sc["horizon_days"]) - float(sc["warmup_days"])) // MONTH_DAYS)
    if inc.empty or months < 1:
        return pd.DataFrame(), months
    month = ((inc["start_h"].to_numpy() - warmup_h) // (MONTH_DAYS * 24)).astype(int) + 1
    inc = inc.assign(month=month)
    return inc[inc["month"] <= months], months


def _region_counties(results: Results, variant: str, folder: str | Path | None) -> dict[str, str]:
    """Township -> county for the whole region; from the incidents if the region CSV
    cannot be found (then townships that never had an incident are missing)."""
    from .geography import NoData, saved_scenario

    try:
        loaded = saved_scenario(results, variant, folder)
        return {t.township: t.county for t in loaded.townships}
    except NoData:
        towns = results.incidents.loc[results.incidents["variant"] == variant]
        seen = towns.groupby("township", observed=True)["county"].first().astype(str)
        return dict(sorted(seen.to_dict().items()))


def ranking_summary(monthly: pd.DataFrame) -> pd.DataFrame:
    """One row per township over all months, best mean rank first."""
    if monthly.empty:
        return monthly
    g = monthly.groupby("township", sort=False)
    out = pd.DataFrame(
        {
            "county": g["county"].first(),
            "mean_rank": g["rank"].mean(),
            "best_rank": g["rank"].min(),
            "worst_rank": g["rank"].max(),
            "months_in_bottom_3": g["rank"].apply(
                lambda r: int((r > monthly["township"].nunique() - 3).sum())
            ),
            "incidents_per_month": g["incidents"].mean(),
            "pollution_hours_per_month": g["pollution_hours"].mean(),
        }
    )
    # pooled over months: each month weighs by the teams that arrived in it
    weighted = monthly.assign(_w=monthly["response_h_mean"] * monthly["attended"])
    wg = weighted[monthly["attended"] > 0].groupby("township")
    out["response_h_mean"] = wg["_w"].sum() / wg["attended"].sum()
    return out.sort_values(["mean_rank", "pollution_hours_per_month"]).reset_index()


def ranking_by_replication(
    results: Results,
    variant: str | None = None,
    folder: str | Path | None = None,
    within: str = "county",
) -> pd.DataFrame:
    """The monthly ranking of ``monthly_ranking`` kept per replication: one row per
    township, month and replication, with the township's rank that month in its county
    (``within="county"``, as a county bureau would publish it) or in the city
    (``"city"``). Kept per replication so a rank gets an interval: a township's rank
    moves from one simulated year to the next by chance alone, and a ranking that
    published those moves would blame townships for luck."""
    if within not in ("county", "city"):
        raise ValueError(f"within must be 'county' or 'city', not {within!r}")
    variant = variant or results.variants[0]
    inc, months = _by_month(results, variant)
    if inc.empty:
        return pd.DataFrame()
    reps = sorted(
        results.incidents.loc[results.incidents["variant"] == variant, "replication"].unique()
    )
    county_of = _region_counties(results, variant, folder)
    grid = pd.MultiIndex.from_product(
        [list(county_of), range(1, months + 1), reps], names=["township", "month", "replication"]
    )
    g = inc.groupby([inc["township"].astype(str), inc["month"], inc["replication"]])
    table = pd.DataFrame(
        {"incidents": g.size(), "pollution_hours": g["pollution_hours"].sum()}
    ).reindex(grid, fill_value=0)
    table = table.reset_index()
    table.insert(1, "county", table["township"].map(county_of))
    keys = ["month", "replication"] + (["county"] if within == "county" else [])
    table["rank"] = (
        table.groupby(keys)["pollution_hours"].rank(method="min", ascending=True).astype(int)
    )
    table["ranked_among"] = table.groupby(keys)["township"].transform("size").astype(int)
    table["within"] = within
    return table.sort_values(["month", "replication", "county", "rank", "township"]).reset_index(
        drop=True
    )


def rank_intervals(by_rep: pd.DataFrame) -> pd.DataFrame:
    """One row per township from ``ranking_by_replication``: its mean rank over the months
    of each replication, the mean of those over replications with a 95% t interval (cut
    at 1 and the number ranked), its monthly pollution-hours, and ``overlaps``: how many
    other townships ranked with it have intervals that overlap its own, that is, from how
    many it cannot be told apart. Best first within each county (or the city)."""
    if by_rep.empty:
        return by_rep
    per_rep = by_rep.groupby(["township", "replication"], sort=False).agg(
        value=("rank", "mean"), county=("county", "first"), among=("ranked_among", "first")
    )
    est = across_replications(
        per_rep.reset_index()[["township", "replication", "value"]]
        .rename(columns={"township": "group"})
        .assign(scope="township", indicator="mean_rank")
    )
    est = est.set_index("group")
    first = per_rep.groupby("township", sort=False).first()
    out = pd.DataFrame(
        {
            "county": first["county"],
            "ranked_among": first["among"],
            "mean_rank": est["mean"],
            "ci95_low": np.maximum(est["ci95_low"], 1.0),
            "ci95_high": np.minimum(est["ci95_high"], first["among"].astype(float)),
            "replications": est["replications"],
        }
    )
    ph = by_rep.groupby("township", sort=False)["pollution_hours"].mean()
    out["pollution_hours_per_month"] = ph
    out["best_month_rank"] = by_rep.groupby("township", sort=False)["rank"].min()
    out["worst_month_rank"] = by_rep.groupby("township", sort=False)["rank"].max()
    city = by_rep["within"].iloc[0] == "city" if "within" in by_rep else False
    scope = pd.Series("city", index=out.index) if city else out["county"]
    lo = out["ci95_low"].fillna(out["mean_rank"]).to_numpy()
    hi = out["ci95_high"].fillna(out["mean_rank"]).to_numpy()
    same = scope.to_numpy()[:, None] == scope.to_numpy()[None, :]
    touch = (lo[:, None] <= hi[None, :]) & (lo[None, :] <= hi[:, None]) & same
    out["overlaps"] = touch.sum(axis=1) - 1
    out = out.rename_axis("township").reset_index()
    order = ["mean_rank", "township"] if city else ["county", "mean_rank", "township"]
    return out.sort_values(order).reset_index(drop=True)
