"""Load YAML the way CNCF's CI (Go, gopkg.in/yaml.v3) sees it, with line numbers kept.

PyYAML alone would disagree with the CI on what a file means: it reads YAML 1.1
(``yes`` is a bool, ``2025-01-01`` a date), silently keeps the last of two duplicate keys,
and expands alias bombs.  yaml.v3 reads plain scalars with the YAML 1.2 core schema, turns
timestamps into strings when the target is untyped, rejects duplicate keys and excessive
aliasing.  We compose nodes with libyaml (fast) and decode them ourselves with those rules,
recording the line of every value so that errors can point at it.
"""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import yaml

from generator.errors import InputError
from generator.yamlscalar import PLAIN_TAG, scalar_value

DEFAULT_MAX_BYTES = 5 * 1024 * 1024

class _Resolver(yaml.resolver.BaseResolver):
    """Tags every plain scalar as ``!plain`` so that we apply the YAML 1.2 rules ourselves."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        # what BaseResolver answers with one catch-all resolver, without its per-scalar
        # lookups and regex match (half of composing a PRODUCT.yaml)
        if kind is yaml.ScalarNode:
            return PLAIN_TAG if implicit[0] else self.DEFAULT_SCALAR_TAG
        if kind is yaml.SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        return self.DEFAULT_MAPPING_TAG


if yaml.__with_libyaml__:
    from yaml._yaml import CParser  # what yaml.cyaml's loaders are built on

    class _Loader(CParser, _Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Resolver.__init__(self)

else:  # pragma: no cover - libyaml ships in PyYAML's wheels

    class _Loader(  # type: ignore[no-redef]
        yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer,
        _Resolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _Resolver.__init__(self)


class YamlError(InputError):
    """A YAML file that cannot be read or decoded; the message names file and line."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.reason = message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


class FileTooLarge(YamlError):
    """Over the size limit: refused before parsing, so a huge file cannot stall a review."""


Path_ = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """Decoded data plus, per value path, its line and (for scalars) its exact source text."""

    path: Path
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    raw: dict[Path_, str] = field(default_factory=dict)

    def line(self, *keys: str | int) -> int | None:
        """Line of the value at ``keys``, or of its nearest existing parent."""
        while keys:
            if keys in self.lines:
                return self.lines[keys]
            keys = keys[:-1]
        return self.lines.get((), 1)


class _Decoder:
    """Turns a composed node graph into Python data, guarding against alias bombs.

    libyaml hands us aliases as the very node they refer to, so a node met a second time
    is an alias; like yaml.v3 we count every node decoded beneath one.
    """

    def __init__(self, path: Path, wanted: Callable[[Path_], bool]) -> None:
        self.doc = YamlDocument(path=path, data=None)
        self.wanted = wanted
        self.decoded = 0
        self.aliased = 0
        self.seen: set[int] = set()
        self.active: set[int] = set()

    def decode(self, node: yaml.Node, at: Path_, under_alias: bool = False) -> Any:
        key = id(node)
        under_alias = under_alias or key in self.seen
        self.seen.add(key)
        self.decoded += 1
        if under_alias:
            self.aliased += 1
            if self.aliased > 100 and self.decoded > 1000 and (
                self.aliased / self.decoded > _allowed_alias_ratio(self.decoded)
            ):
                self._fail(node, "document contains excessive aliasing")
        self.doc.lines[at] = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            self.doc.raw[at] = node.value
            try:
                return scalar_value(node)
            except ValueError as exc:
                self._fail(node, str(exc))
        if key in self.active:
            self._fail(node, "anchor refers to itself")
        self.active.add(key)
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.decode(child, (*at, i), under_alias)
                        for i, child in enumerate(node.value)]
            assert isinstance(node, yaml.MappingNode)  # the composer makes three kinds of node
            return self._mapping(node, at, under_alias)
        finally:
            self.active.discard(key)

    def _mapping(self, node: yaml.MappingNode, at: Path_, under_alias: bool) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in self._pairs(node):
            if not isinstance(key_node, yaml.ScalarNode):
                self._fail(key_node, "mapping keys must be scalars")
            key = key_node.value
            if key in seen:
                self._fail(key_node, f'mapping key "{key}" already defined at line {seen[key]}')
            seen[key] = key_node.start_mark.line + 1
            if self.wanted((*at, key)):
                result[key] = self.decode(value_node, (*at, key), under_alias)
        return result

    def _pairs(self, node: yaml.MappingNode) -> Iterator[tuple[yaml.Node, yaml.Node]]:
        """Key/value pairs with ``<<`` merges applied; the mapping's own keys win."""
        if not any(k.value == "<<" for k, _ in node.value):  # the usual case: no merge key
            yield from node.value
            return
        own = [(k, v) for k, v in node.value if not _is_merge_key(k)]
        own_keys = {k.value for k, _ in own if isinstance(k, yaml.ScalarNode)}
        merged: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for _, value_node in (pair for pair in node.value if _is_merge_key(pair[0])):
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [
                value_node]
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    self._fail(value_node, "map merge requires map or sequence of maps")
                for key_node, item in source.value:
                    if key_node.value not in own_keys:
                        merged.setdefault(key_node.value, (key_node, item))
        yield from merged.values()
        yield from own

    def _fail(self, node: yaml.Node, message: str) -> NoReturn:
        raise YamlError(self.doc.path, message, node.start_mark.line + 1)


def _is_merge_key(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == PLAIN_TAG and node.value == "<<"


def _allowed_alias_ratio(decoded: int) -> float:
    """yaml.v3's budget: aliases may be most of a small document, a tenth of a huge one."""
    low, high = 400_000, 4_000_000
    if decoded <= low:
        return 0.99
    if decoded >= high:
        return 0.10
    return 0.99 - 0.89 * (decoded - low) / (high - low)


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a small UTF-8 text file, refusing binaries, huge files and bad encodings."""
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise YamlError(path, "is a directory, not a file")
        if not stat.S_ISREG(mode):  # a FIFO or a device would block or never end
            raise YamlError(path, "not a regular file (a pipe, socket or device)")
        size = path.stat().st_size
        if size > max_bytes:
            raise FileTooLarge(path, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise YamlError(path, "is a directory, not a file") from exc
    except OSError as exc:
        raise YamlError(path, f"cannot read: {exc.strerror or exc}") from exc
    if b"\0" in data[:8192]:
        raise YamlError(path, "binary file (contains NUL bytes), expected YAML text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlError(path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", line) from exc


def load_yaml(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, text: str | None = None,
              wanted: Callable[[Path_], bool] = lambda _: True) -> YamlDocument:
    """Decode the first YAML document of ``path``; raise :class:`YamlError` naming the line.

    ``wanted(path)`` False leaves a mapping value undecoded, as Go leaves fields its struct
    does not have: their content is neither checked nor counted.
    """
    if text is None:
        text = read_text(path, max_bytes)
    loader = _Loader(text)
    try:
        root = loader.get_node() if loader.check_node() else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        raise YamlError(path, problem or str(exc), mark.line + 1 if mark else None) from exc
    except yaml.YAMLError as exc:
        raise YamlError(path, str(exc)) from exc
    finally:
        loader.dispose()
    decoder = _Decoder(path, wanted)
    if root is not None:
        decoder.doc.data = decoder.decode(root, ())
    return decoder.doc
