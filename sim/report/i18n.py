"""The report's language: one context, set once by ``write_report``, read everywhere text
is shown.

A report is written in English; a Chinese report translates whole texts by exact match
(gettext style: the English text is the message id, ``zh.CATALOGUE`` the translations)
at the few seams every text passes: ``page()`` for headings, navigation and table
headers, ``figures.common.as_written`` for every text drawn in a figure. Township and
county names join the catalogue for one report from the region table (``name_zh``,
``county_zh``), so the map labels and tables translate with the same lookup. A text
with no message id stays English: prose captions mostly do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from html import escape, unescape
from types import MappingProxyType

LANGUAGES = ("en", "zh")
NO_CJK_FONT = (
    "warning: no font with Chinese characters found, so the report is written in English; "
    "install one (Debian/Ubuntu: apt-get install fonts-noto-cjk) and run it again"
)
HTML_LANG = {"en": "en", "zh": "zh-CN"}

_STOPS = {".": "。", ":": "："}
# elements whose whole text is one message: headings, navigation, table cells, summaries
_WHOLE = re.compile(
    r"<(h[1-4]|th|td|summary|a|b|li|p|figcaption|title|label|span)(\s[^>]*)?>"
    r"([^<]+)</\1>"
)
_ALT = re.compile(r'alt="([^"]*)"')

_LANG: ContextVar[str] = ContextVar("report_lang", default="en")
_EXTRA: ContextVar[Mapping[str, str]] = ContextVar("report_names", default=MappingProxyType({}))


def current() -> str:
    """The language of the report being written (``en`` outside ``language``)."""
    return _LANG.get()


def html_lang() -> str:
    return HTML_LANG.get(current(), "en")


@contextmanager
def language(lang: str, names: Mapping[str, str] | None = None) -> Iterator[None]:
    """Write in ``lang`` inside the block; ``names`` adds this report's own translations
    (township and county names from its region table)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown report language {lang!r}; known: {', '.join(LANGUAGES)}")
    t1, t2 = _LANG.set(lang), _EXTRA.set(dict(names or {}))
    try:
        yield
    finally:
        _LANG.reset(t1)
        _EXTRA.reset(t2)


def add_names(names: Mapping[str, str]) -> None:
    """Add translations for the report being written (inside ``language``)."""
    if current() != "en":
        _EXTRA.set({**_EXTRA.get(), **names})


def tr(text: str) -> str:
    """``text`` in the current language: its translation by exact match of the whole
    text (surrounding spaces kept), else ``text`` unchanged."""
    if current() == "en" or not text:
        return text
    from .zh import CATALOGUE

    core = text.strip()
    got = _EXTRA.get().get(core) or CATALOGUE.get(core)
    if got is None and core[-1:] in _STOPS:  # "Response time." as a caption's title
        got = _EXTRA.get().get(core[:-1]) or CATALOGUE.get(core[:-1])
        got = got + _STOPS[core[-1]] if got else None
    if got is None:
        got = _pattern(core)
    if got is None:
        return text
    start = text[: len(text) - len(text.lstrip())]
    end = text[len(text.rstrip()) :]
    return start + got + end


def _pattern(core: str) -> str | None:
    """A text with numbers or names in it, by the catalogue's whole-text patterns."""
    from .zh import PATTERNS

    for pattern, template in PATTERNS:
        m = pattern.fullmatch(core)
        if m:
            return template.format(*(tr(g) for g in m.groups()))
    return None


def pick(en: str, zh: str) -> str:
    """One of two texts written side by side in code (templates with numbers in them)."""
    return zh if current() == "zh" else en


def translate_html(html: str) -> str:
    """``html`` with every element whose whole text is a message id translated (and the
    images' ``alt`` texts): the one pass that gives a report Chinese headings, navigation
    and table headers without a change in the code that writes them."""
    if current() == "en":
        return html

    def whole(m: re.Match[str]) -> str:
        tag, attrs, text = m.group(1), m.group(2) or "", m.group(3)
        return f"<{tag}{attrs}>{escape(tr(unescape(text)), quote=False)}</{tag}>"

    html = _WHOLE.sub(whole, html)
    return _ALT.sub(lambda m: f'alt="{escape(tr(unescape(m.group(1))))}"', html)
