"""YAML reading that keeps line numbers, and a typed field reader that records problems."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

from app.checklists.definitions import Text
from app.checklists.findings import Collector


class LineDict(dict):
    """A YAML mapping that remembers its own line and the line of each key."""

    line: int | None = None
    key_lines: dict[Any, int]


class LineList(list):
    """A YAML sequence that remembers its line."""

    line: int | None = None


# The libyaml parser when available (several times faster); nodes carry marks either way.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(SAFE_LOADER):  # type: ignore[misc,valid-type]
    duplicates: list[tuple[int, Any]]


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            key = str(key)
        if key in result:
            loader.duplicates.append((line, key))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)


def parse_yaml(text: str, collector: Collector) -> Any:
    """Parse YAML text into LineDict/LineList data; None (with a problem) when unreadable."""
    loader = _LineLoader(text)
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        collector.add(line, None, f"ugyldig YAML: {problem}")
        return None
    finally:
        loader.dispose()
    for line, key in loader.duplicates:
        collector.add(line, None, f"nøkkelen «{key}» står to ganger i samme blokk")
    return data


def line_of(data: Any, key: Any = None) -> int | None:
    """Line of a key in a mapping, else of the mapping or sequence itself."""
    if isinstance(data, LineDict) and key is not None and key in data.key_lines:
        return data.key_lines[key]
    return getattr(data, "line", None)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class Reader:
    """Reads typed fields from one mapping; every wrong or missing field becomes a problem."""

    def __init__(
        self,
        collector: Collector,
        data: Any,
        item_id: str | None,
        allowed: Iterable[str],
        what: str,
        line: int | None = None,
    ):
        self.c = collector
        self.item_id = item_id
        self.ok = isinstance(data, dict)
        self.data: dict[Any, Any] = data if isinstance(data, dict) else {}
        if not self.ok:
            self.c.add(line or line_of(data), item_id, f"{what} må være en blokk med nøkler")
            return
        allowed_set = set(allowed)
        for key in self.data:
            if key not in allowed_set:
                self.problem(key, f"ukjent felt «{key}» i {what}")

    def line(self, key: Any = None) -> int | None:
        return line_of(self.data, key)

    def problem(self, key: Any, message: str) -> None:
        self.c.add(self.line(key), self.item_id, message)

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def raw(self, key: str, required: bool = False) -> Any:
        if not self.has(key):
            if required and self.ok:
                self.problem(None, f"mangler påkrevd felt «{key}»")
            return None
        return self.data[key]

    def str(
        self, key: str, required: bool = True, default: str | None = None, empty: bool = False
    ) -> str | None:
        value = self.raw(key, required)
        if value is None:
            return default
        if not isinstance(value, str) or not (value.strip() or empty):
            self.problem(key, f"«{key}» må være en tekst som ikke er tom")
            return default
        return value.strip()

    def bool(self, key: str, default: bool = False, required: bool = False) -> bool:
        value = self.raw(key, required)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(key, f"«{key}» må være true eller false")
            return default
        return value

    def int(self, key: str, required: bool = True) -> int | None:
        value = self.raw(key, required)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self.problem(key, f"«{key}» må være et heltall")
            return None
        return value

    def number(self, key: str, required: bool = True) -> float | None:
        value = self.raw(key, required)
        if value is None:
            return None
        if not is_number(value):
            self.problem(key, f"«{key}» må være et tall")
            return None
        return value

    def text(self, key: str, required: bool = True) -> Text | None:
        value = self.raw(key, required)
        if value is None:
            return None
        sub = Reader(self.c, value, self.item_id, ("nb", "en"), f"«{key}»", self.line(key))
        nb, en = sub.str("nb"), sub.str("en")
        return Text(nb, en) if nb is not None and en is not None else None

    def mapping(self, key: str, required: bool = False) -> dict[Any, Any] | None:
        value = self.raw(key, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem(key, f"«{key}» må være en blokk med nøkler")
            return None
        return value

    def sequence(self, key: str, required: bool = False) -> list[Any] | None:
        value = self.raw(key, required)
        if value is None:
            return None
        if not isinstance(value, list):
            self.problem(key, f"«{key}» må være en liste")
            return None
        return value
