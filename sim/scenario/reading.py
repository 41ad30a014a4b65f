"""The one way the project reads YAML: YAML 1.2, safe, strict and bounded.

Scenario files, ``--set`` values, compare and sweep plans and saved results
folders are all read here, so a value means the same thing wherever it is
written. The loader is ruamel.yaml's pure-Python safe loader, which reads YAML
1.2: ``yes``/``no``/``on``/``off`` stay strings (a township may be called
``Yes``), ``1:30`` is the string it looks like (not 90 by base 60) and ``010``
is ten (octal needs ``0o10``) — the YAML 1.1 readings were silent wrong numbers.

A hostile or runaway file must cost a line, not gigabytes: the file size, the
nesting depth and the number of values the document stands for once its
aliases are expanded are capped before anything is built (an alias "bomb" is
a small file whose aliases expand to billions of values), an alias may not
refer to the value that contains it, and keys must be plain values. The caps
sit far above anything a real scenario needs (the largest bundled scenario is
8 KB, about 550 values and 7 levels deep).
"""

from __future__ import annotations

import copy
import os
import stat
from functools import lru_cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.scanner import Scanner

from ..errors import ScenarioError

MAX_FILE_BYTES = 1 << 20  # 1 MiB: over a hundred times the largest bundled scenario
MAX_DEPTH = 32  # levels of nesting, counted through aliases
MAX_VALUES = 100_000  # values the document stands for with its aliases expanded


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


class _BoundedScanner(Scanner):
    """Refuses deep ``[[[...`` before scanning on: the scanner's work per token grows with
    the open brackets, so a megabyte of them would take minutes."""

    def fetch_flow_collection_start(self, TokenClass: Any, to_push: str) -> None:  # noqa: N803
        if self.flow_level >= MAX_DEPTH:
            raise ScenarioError(
                _where(self.reader.get_mark()), f"YAML nested deeper than {MAX_DEPTH} levels"
            )
        super().fetch_flow_collection_start(TokenClass, to_push)


class _BoundedComposer(Composer):
    """Refuses nesting beyond ``MAX_DEPTH`` while composing (which recurses per level), and
    checks the whole node graph before a single Python object is built from it."""

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self.warn_double_anchors = False  # YAML allows it; a warning would be a second line

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.parser.check_event(AliasEvent):
            return super().compose_node(parent, index)
        self._levels = getattr(self, "_levels", 0) + 1
        try:
            if self._levels > MAX_DEPTH:
                mark = self.parser.peek_event().start_mark
                raise ScenarioError(_where(mark), f"YAML nested deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._levels -= 1

    def compose_document(self) -> Any:
        node = super().compose_document()
        if node is not None:
            _Expansion().size(node)
        return node


class _Expansion:
    """The size and depth of a node graph with its aliases expanded, computed without
    expanding it (each shared node is measured once), refusing cycles and complex keys."""

    def __init__(self) -> None:
        self.measured: dict[int, tuple[int, int]] = {}  # id -> (values, levels)
        self.path: list[int] = []

    def size(self, node: Node) -> int:
        return self._measure(node)[0]

    def _measure(self, node: Node) -> tuple[int, int]:
        key = id(node)
        if key in self.path:
            raise ScenarioError(
                _where(node.start_mark), "YAML alias refers to the value that contains it"
            )
        values, levels = self.measured.get(key) or self._measure_new(node)
        if len(self.path) + levels > MAX_DEPTH:
            raise ScenarioError(
                _where(node.start_mark), f"YAML nested deeper than {MAX_DEPTH} levels"
            )
        return values, levels

    def _measure_new(self, node: Node) -> tuple[int, int]:
        self.path.append(id(node))
        values, below = 1, 0
        if isinstance(node, SequenceNode):
            children = list(node.value)
        elif isinstance(node, MappingNode):
            children = []
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise ScenarioError(
                        _where(key_node.start_mark),
                        "a YAML key must be a plain value, not a list or mapping",
                    )
                values += 1
                children.append(value_node)
        else:
            children = []
        for child in children:
            n, levels = self._measure(child)
            values, below = values + n, max(below, levels)
        self.path.pop()
        if values > MAX_VALUES:
            raise ScenarioError(
                _where(node.start_mark),
                f"YAML aliases expand to more than {MAX_VALUES:,} values",
            )
        self.measured[id(node)] = (values, below + 1)
        return values, below + 1


class _StrictConstructor(SafeConstructor):
    """Refuses a key given twice (one of the two settings would be lost silently)."""

    def check_mapping_key(self, node: Any, key_node: Any, mapping: Any, key: Any, value: Any):
        if key in mapping:
            raise ScenarioError(_where(key_node.start_mark), f"key {key!r} is given twice")
        return True

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        """A date that does not exist (``2019-02-30``) stays the text it is, so the schema
        names the field it was given for, rather than the loader crashing."""
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:
            return self.construct_scalar(node)


_StrictConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp", _StrictConstructor.construct_yaml_timestamp
)


def _loader() -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.Scanner = _BoundedScanner
    yaml.Composer = _BoundedComposer
    yaml.Constructor = _StrictConstructor
    return yaml


def parse_yaml(text: str) -> Any:
    """One YAML 1.2 document, safely; every failure is a ``ScenarioError`` located by line
    and column (``path``), with no file named.

    The pure-Python parser takes about 0.1 s for the Jinhua baseline, and a compare file,
    its results folder and a report read the same base many times over; so a text is
    parsed once per process (failures and large texts are not kept) and each caller gets
    its own copy to change."""
    if len(text) > CACHED_TEXT_CHARS:
        return _parse(text)
    return copy.deepcopy(_parsed(text))


CACHED_TEXT_CHARS = 256 * 1024
"""Texts up to this long are kept parsed (at most 32 of them: a few MiB in all)."""


@lru_cache(maxsize=32)
def _parsed(text: str) -> Any:
    return _parse(text)


def _parse(text: str) -> Any:
    try:
        return _loader().load(text)
    except YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or "invalid YAML"
        context, cmark = getattr(err, "context", None), getattr(err, "context_mark", None)
        if context and cmark is not None:
            problem += f" ({context} from line {cmark.line + 1})"
        elif context:
            problem = f"{context}, {problem}"
        raise ScenarioError(_where(mark), f"YAML syntax error: {problem}") from None
    except RecursionError:  # a last resort: the caps above should have refused it first
        raise ScenarioError("", f"YAML nested deeper than {MAX_DEPTH} levels") from None


def read_text(path: Path, what: str = "scenario file", limit: int = MAX_FILE_BYTES) -> str:
    """A regular file's UTF-8 text, refused unread beyond ``limit`` bytes (``/dev/zero`` or a
    FIFO would otherwise be read forever or block)."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, os.strerror(21))
        if not stat.S_ISREG(info.st_mode):
            raise ScenarioError("", f"cannot read {what} (not a regular file)")
        if info.st_size > limit:
            raise ScenarioError("", f"{what} is {info.st_size:,} bytes; the limit is {limit:,}")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as err:
        raise ScenarioError("", f"cannot read {what} ({reason(err)})") from None
    if len(data) > limit:  # grew since stat
        raise ScenarioError("", f"{what} is over {limit:,} bytes; the limit is {limit:,}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ScenarioError(
            "", f"not UTF-8 text (byte 0x{err.object[err.start]:02x} at position {err.start})"
        ) from None


def read_yaml_file(path: Path, what: str = "scenario file") -> Any:
    """``parse_yaml`` of a file read by ``read_text``."""
    return parse_yaml(read_text(path, what))


def reason(err: Exception) -> str:
    return getattr(err, "strerror", None) or type(err).__name__
