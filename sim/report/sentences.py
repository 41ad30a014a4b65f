"""The pieces every generated sentence of the report is made of: the numbers of
``summary.csv`` and ``differences.csv`` by row, written as the tables write them, and the
``data-*`` attributes that name the row each number comes from (``findings``, ``drivers``
and ``caveats`` use them; a test reads them back).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from html import escape

from ..experiment.results import Results
from ..stats.catalogue import HOURS, entry, fmt, fmt_interval, is_share, possible
from .i18n import current, language, pick

Estimate = tuple[float, float, float]  # mean, 95% low, 95% high


def rows(results: Results) -> tuple[dict, dict]:
    """``(variant, scope, group, indicator) -> (mean, low, high)`` of summary and
    differences, read afresh on each call (both tables are small)."""
    s = results.summary
    levels = {
        (r.variant, r.scope, str(r.group), r.indicator): (r.mean, r.ci95_low, r.ci95_high)
        for r in s.itertuples()
    }
    d = results.differences
    diffs = (
        {
            (r.variant, r.scope, str(r.group), r.indicator): (
                r.diff_mean, r.diff_ci95_low, r.diff_ci95_high,
            )
            for r in d.itertuples()
        }
        if not d.empty
        else {}
    )  # fmt: skip
    return levels, diffs


def clear(low: float, high: float) -> bool:
    """A paired difference whose 95% interval excludes zero."""
    return math.isfinite(low) and math.isfinite(high) and (low > 0 or high < 0)


def unit_words(name: str) -> str:
    """The unit after a number, in words ("hours", not "h")."""
    e = entry(name)
    return pick(" hours", " 小时") if e is not None and e.format == HOURS else ""


def level_text(name: str, est: Estimate) -> str:
    """A level as the headline table writes it: value, unit in words, cut interval."""
    low, high = possible(name, est[1], est[2])
    return f"{fmt(name, est[0])}{unit_words(name)} {fmt_interval(name, low, high)}".rstrip()


def change_text(name: str, est: Estimate) -> str:
    """The size of a paired difference (its sign is the verb's): the table's number without
    its sign; a share's change in percentage points."""
    m, lo, hi = est
    if m < 0:
        m, lo, hi = -m, -hi, -lo
    if is_share(name):
        strip = lambda x: fmt(name, x).rstrip("%")  # noqa: E731
        return f"{strip(m)}{pick(' percentage points', ' 个百分点')} [{strip(lo)}, {strip(hi)}]"
    return f"{fmt(name, m)}{unit_words(name)} {fmt_interval(name, lo, hi)}"


def span(text: str, kind: str, variant: str, indicator: str, scope: str = "all",
         group: str = "all") -> str:  # fmt: skip
    """A number with the row it comes from."""
    return (
        f'<span class="claim" data-kind="{kind}" data-variant="{escape(variant)}" '
        f'data-indicator="{indicator}" data-scope="{scope}" data-group="{escape(group)}">'
        f"{escape(text)}</span>"
    )


def li(html: str, indicator: str, variants: Sequence[str], scope: str = "all") -> str:
    return (
        f'<li data-indicator="{indicator}" data-variant="{escape(" ".join(variants))}" '
        f'data-scope="{scope}">{html}</li>'
    )


@contextmanager
def in_language(lang: str | None) -> Iterator[str]:
    """Write in ``lang`` (the report's own when ``None``)."""
    lang = lang or current()
    with language(lang) if lang != current() else nullcontext():
        yield lang


def titles(results: Results) -> dict[str, str]:
    """Readers' names of the variants (``names.variant_titles``; keys if it fails)."""
    try:
        from .names import variant_titles

        return variant_titles(results)
    except Exception:  # a name is a nicety: never lose the findings over it
        return {v: v for v in results.variants}
