"""The shell every HTML report shares: one self-contained page, its style sheet, its cells.

A page opens the same in any browser, offline, years later: styles are inline,
figures are embedded as base64 PNG (and also written to ``figures/`` as PNG and
SVG for slides and papers), and there are no scripts, web fonts or links off it.
Numbers are written by the indicator catalogue's ``fmt``, so a share is a
percentage and an hour has three figures in every report and in the terminal.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Callable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from ..experiment.folder import make_folder, write_file
from ..stats.catalogue import fmt, fmt_interval, label, possible
from .geography import NoData
from .i18n import html_lang, translate_html

PNG_DPI = 150
CSS_PX_PER_INCH = 100  # PNGs are shown at 150 / 100 = 1.5 device pixels per CSS pixel
NO_VALUE = "–"
ESTIMATE = ("mean", "ci95_low", "ci95_high")  # the summary's columns of a value cell

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,
sans-serif;color:#222;margin:0;background:#fafafa;line-height:1.45}
main{max-width:1150px;margin:0 auto;padding:1.5rem 2rem 4rem;background:#fff}
h1{font-size:1.6rem;margin:.2rem 0 .3rem}h2{font-size:1.25rem;margin-top:2.2rem;
border-bottom:2px solid #ddd;padding-bottom:.2rem}h3{font-size:1.05rem;margin-top:1.4rem}
.meta{color:#555;font-size:.9rem}nav{font-size:.9rem;margin:1rem 0;padding:.6rem 1rem;
background:#f3f3f3;border-radius:6px}nav a{margin-right:1rem;color:#1a5490}
table{border-collapse:collapse;font-size:.85rem;margin:.6rem 0 1rem}
th,td{border:1px solid #ddd;padding:.25rem .5rem;vertical-align:top}
th{background:#f0f0f0;text-align:left;position:sticky;top:0}
td.num{text-align:right;white-space:nowrap}tr:nth-child(even) td{background:#fbfbfb}
.ci{color:#777;font-size:.78rem}.sig{font-weight:bold}.diff{background:#fff4d6!important}
figure{margin:1rem 0 1.8rem}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.85rem;color:#444;margin-top:.3rem}.missing{color:#8a4b00;
background:#fff4e5;padding:.4rem .7rem;border-radius:4px;font-size:.9rem}
details{margin:.5rem 0 1rem}summary{cursor:pointer;color:#1a5490}
.scroll{max-height:32rem;overflow:auto}pre{font-size:.75rem;white-space:pre-wrap}
code{background:#f3f3f3;padding:0 .2rem;border-radius:3px}
@page{size:A4;margin:14mm 12mm}
@media print{body{background:#fff;font-size:10pt}main{max-width:none;padding:0}nav{display:none}
h2,h3{break-after:avoid}figure,tr,.missing{break-inside:avoid}
figure img{width:auto;max-height:225mm;border:0}.scroll{max-height:none;overflow:visible}
th{position:static}a{color:inherit;text-decoration:none}table{font-size:7.5pt}
th,td{padding:.1rem .25rem}td{overflow-wrap:anywhere}.ci{font-size:6.5pt}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


def page(title: str, heading: str, lead: str, sections: Sequence[tuple[str, str, str]]) -> str:
    """The whole document: ``lead`` (HTML) under the heading, then a contents bar and one
    ``<section id=...>`` per ``(id, title, HTML)``."""
    nav = " ".join(f'<a href="#{sid}">{escape(name)}</a>' for sid, name, _ in sections)
    body = "\n".join(
        f'<section id="{sid}"><h2>{escape(name)}</h2>\n{content}</section>'
        for sid, name, content in sections
    )
    return translate_html(  # a report in another language: headings, nav, table headers
        f'<!DOCTYPE html>\n<html lang="{html_lang()}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body><main>"
        f"<h1>{escape(heading)}</h1>{lead}"
        f"<nav>{nav}</nav>\n{body}\n</main></body></html>\n"
    )


def failures_note(failures: Sequence[Any], consequence: str) -> str:
    """A warning under the heading when runs failed, pointing to the run details."""
    if not failures:
        return ""
    return (
        f'<p class="missing">{len(failures)} run(s) failed; {consequence} '
        '(see <a href="#manifest">Run details</a>).</p>'
    )


def embed_figure(
    figdir: Path,
    name: str,
    title: str,
    caption: str,
    make: Callable[[], Figure],
    attrs: Mapping[str, str] | None = None,
) -> str:
    """Draw, save as PNG and SVG, embed the PNG; a figure without data says why.
    ``attrs`` are extra attributes of the ``<figure>`` element (e.g. ``data-variants``, which
    the browser test reads to check that every variant is on a map)."""
    try:
        fig = make()
    except NoData as err:
        for old in (figdir / f"{name}.png", figdir / f"{name}.svg"):
            old.unlink(missing_ok=True)  # not a stale picture from an earlier report
        return (
            f'<p class="missing" id="fig-{name}"><b>{escape(title)}</b>: not available — '
            f"{escape(str(err))}.</p>"
        )
    make_folder(figdir)  # a real folder inside the results folder, not a symlink
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=PNG_DPI)
    png = buf.getvalue()
    write_file(figdir / f"{name}.png", png)
    fig.set_layout_engine("none")  # keep the layout just computed: half the SVG's cost
    write_file(figdir / f"{name}.svg", lambda path: fig.savefig(path, format="svg"))
    width = round(fig.get_figwidth() * CSS_PX_PER_INCH)
    where = "figures" if figdir.name == "figures" else f"figures/{figdir.name}"  # figures/zh
    data = base64.b64encode(png).decode("ascii")
    extra = "".join(f' {escape(k)}="{escape(v)}"' for k, v in (attrs or {}).items())
    return (
        f'<figure id="fig-{name}"{extra}><img src="data:image/png;base64,{data}" '
        f'alt="{escape(title)}" width="{width}">'
        f"<figcaption><b>{escape(title)}.</b> {caption} "
        f'<span class="ci">Files: <code>{where}/{name}.png</code>, '
        f"<code>{where}/{name}.svg</code>.</span></figcaption></figure>"
    )


def table(head: Sequence[str], rows: Sequence[str], *, scroll: bool = True) -> str:
    """A table from plain-text headers and ready ``<tr>`` rows; long ones scroll."""
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    html = f"<table><thead><tr>{th}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    return f'<div class="scroll">{html}</div>' if scroll else html


def td(text: str, num: bool = True) -> str:
    return f'<td class="num">{text}</td>' if num else f"<td>{text}</td>"


def ci(text: str) -> str:
    """An interval in grey under the value it belongs to."""
    return f'<br><span class="ci">{text}</span>' if text else ""


def value_cell(
    name: str,
    mean: float,
    low: float,
    high: float,
    *,
    signed: bool = False,
    bold: bool = False,
) -> str:
    """A catalogued value with its 95% interval; ``signed`` for a difference, whose interval
    may cross zero, where a value's is cut at what is possible (no share above 100%)."""
    if not signed:
        low, high = possible(name, low, high)
    cls = "num sig" if bold else "num"
    text = escape(fmt(name, mean, signed=signed))
    return f'<td class="{cls}">{text}{ci(escape(fmt_interval(name, low, high)))}</td>'


def estimate_cells(
    wide: pd.DataFrame, name: str, keys: Sequence[tuple[Any, ...]], columns: Sequence[str]
) -> str:
    """``value_cell`` per key of ``wide`` (indexed by the keys; ``columns`` hold mean, low
    and high), and a dash where a key has no row."""
    return "".join(
        value_cell(name, *wide.loc[key, list(columns)]) if key in wide.index else td(NO_VALUE)
        for key in keys
    )


def indicator_table(s: pd.DataFrame, inds: Sequence[str], variants: Sequence[str]) -> str:
    """Rows = indicators, columns = variants: each value with its interval, from
    ``summary`` rows of one scope (``tables.by_variant``)."""
    wide = s.set_index(["indicator", "variant"])
    rows = [
        f"<tr><th>{escape(label(ind))}</th>"
        f"{estimate_cells(wide, ind, [(ind, v) for v in variants], ESTIMATE)}</tr>"
        for ind in inds
    ]
    return table(["indicator", *variants], rows)


def num(x: Any, digits: int = 2) -> str:
    """A plain number to fixed decimals; a dash for nothing."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return NO_VALUE
    return f"{x:.{digits}f}" if math.isfinite(x) else NO_VALUE


def whole(x: Any) -> str:
    return NO_VALUE if x is None or pd.isna(x) else str(int(x))
