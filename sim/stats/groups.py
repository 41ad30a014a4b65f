"""Counts, sums, means and quantiles of every group of a table at once, bit for bit what
numpy gives on each group's own array.

Indicators are computed for every township, unit, type and severity of every replication
(about two hundred groups for the whole city); a numpy call per group and statistic was a
third of a replication's whole pipeline. Counts are exact in any order, so they are one
``bincount``. A float sum is not: numpy adds pairwise, by blocks, so the last bit depends
on the order and the grouping (``np.add.reduceat`` adds differently and moves it). Each
group's sum is therefore still numpy's ``sum`` of the group's own contiguous slice — the
same elements in the same order as the group's array had before, so the same bits —
which is one cheap call per group on a view instead of a mask, a copy and a call (numpy's
pairwise sum written out for all groups at once was no faster: tried and measured).
Quantiles are numpy's default ('linear') method done for all groups in one pass: sort
within groups, then the same interpolation, element by element.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


class Groups:
    """Rows split into groups ``0..n-1`` by integer ``codes`` (a negative code: no group).

    Row order inside a group is kept (a stable sort), so a group's values are the array
    that masking the table by the group would have given.
    """

    def __init__(self, codes: np.ndarray, n: int) -> None:
        codes = np.asarray(codes, dtype=np.int64)
        self.n = n
        self.codes = np.where(codes < 0, n, codes)  # the rows of no group: a last group
        self.order = np.argsort(self.codes, kind="stable")
        self._sorted_codes = self.codes[self.order]

    @classmethod
    def of_labels(cls, labels: pd.Series) -> tuple[Groups, list[str]]:
        """Groups as ``groupby(labels, observed=True, sort=True)`` forms them, and their
        names: the labels present, sorted (a categorical: in its categories' order)."""
        codes, names = pd.factorize(labels, sort=True)
        return cls(codes, len(names)), [str(x) for x in names]

    def count(self, mask: np.ndarray | None = None) -> np.ndarray:
        """Rows per group (of those in ``mask``)."""
        codes = self.codes if mask is None else self.codes[mask]
        return np.bincount(codes, minlength=self.n + 1)[: self.n]

    def slices(self, values: np.ndarray, mask: np.ndarray | None = None) -> list[np.ndarray]:
        """Each group's values (of the rows in ``mask``), in row order: views of one array."""
        if mask is None:
            rows, codes = self.order, self._sorted_codes
        else:
            keep = mask[self.order]
            rows, codes = self.order[keep], self._sorted_codes[keep]
        v = values[rows]
        bounds = np.searchsorted(codes, np.arange(self.n + 1)).tolist()
        return [v[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]

    def sums(self, values: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """``values[mask & group].sum()`` per group, the same bits (see the module)."""
        return np.array([x.sum() for x in self.slices(values, mask)], dtype=float)

    def means(self, values: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """``values[mask & group].mean()`` per group (NaN for an empty group): numpy's mean
        is its sum divided by the count."""
        return ratio(self.sums(values, mask), self.count(mask))

    def quantiles(self, values: np.ndarray, q: float, mask: np.ndarray | None = None):
        """``np.quantile(values[mask & group], q)`` per group (NaN for an empty group)."""
        keep = self.codes < self.n if mask is None else mask & (self.codes < self.n)
        v, codes = values[keep], self.codes[keep]
        order = np.lexsort((v, codes))  # by group, then value; NaN last in its group
        v = v[order]
        start = np.searchsorted(codes[order], np.arange(self.n))
        n = self.count(keep)
        out = np.full(self.n, np.nan)
        has = n > 0
        start, n = start[has], n[has]
        # numpy's 'linear' method: index (n - 1) q, its neighbours, the lerp as numpy writes it
        virtual = (n - 1) * q
        prev = np.floor(virtual)
        above = virtual >= n - 1
        prev = np.where(above, -1, prev).astype(np.int64)  # -1: numpy's "last element"
        after = np.where(above, -1, prev + 1)
        gamma = virtual - prev
        last = start + n - 1
        a = v[np.where(prev < 0, last, start + prev)]
        b = v[np.where(after < 0, last, start + after)]
        diff = b - a
        res = a + diff * gamma
        res = np.where(gamma >= 0.5, b - diff * (1 - gamma), res)
        out[has] = np.where(np.isnan(v[last]), v[last], res)  # a NaN makes it NaN
        return out


def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den`` element by element, NaN where ``den`` is 0 (a share of nothing)."""
    num, den = np.asarray(num), np.asarray(den)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den != 0, num / np.where(den != 0, den, 1), np.nan)


def nansum(x: np.ndarray) -> float:
    """What pandas' ``Series.sum`` gives: NaN counted as 0, otherwise numpy's sum."""
    nan = np.isnan(x)
    return x.sum() if not nan.any() else np.where(nan, 0.0, x).sum()
