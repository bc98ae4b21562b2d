"""Safe YAML loading that remembers line numbers.

* Only plain data: PyYAML's safe constructors (libyaml when available); tags that
  construct objects (``!!python/object``...) are refused.
* Duplicate keys, aliases and merge keys are refused (silent overwrites and
  alias bombs are both ways of saying something other than what the file shows).
* Every mapping and list remembers the 1-based line of itself and of each key or item,
  so a validation error can name the line: :func:`line_of`.
* Speed: a document with none of the above (nor tags, anchors, collection keys or deep
  nesting) is built straight from libyaml's events, about twice as fast as PyYAML's
  constructors; any other document, and every error, goes through the constructors.
"""

from __future__ import annotations

import hashlib

import functools
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import error
from . import textfile
from .errors import InputError

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict):
    """A dict that knows the line of itself (``line``) and of each key (``lines``)."""

    __slots__ = ("line", "lines")


class LineList(list):
    """A list that knows the line of itself and of each item."""

    __slots__ = ("line", "lines")


class YamlError(InputError):
    """A YAML file cannot be read as plain data."""


class _Refused(yaml.MarkedYAMLError):
    pass


class _Loader(_Base):  # type: ignore[misc, valid-type]
    def __init__(self, stream):
        super().__init__(stream)
        self._seen: set[int] = set()

    def construct_object(self, node, deep=False):
        if id(node) in self._seen and isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            raise _Refused(None, None, "aliases (*name) are not allowed; write the value out", node.start_mark)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            self._seen.add(id(node))
        return super().construct_object(node, deep=deep)


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.lines = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise _Refused(None, None, "merge keys (<<) are not allowed", key_node.start_mark)
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise _Refused(None, None, "a mapping key must be a plain value", key_node.start_mark) from None
        if key in out:
            raise _Refused(
                None, None, f"duplicate key '{key}' (first on line {out.lines[key]})", key_node.start_mark
            )
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = key_node.start_mark.line + 1
    return out


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.lines = [child.start_mark.line + 1 for child in node.value]
    return out


def _timestamp(loader: _Loader, node: yaml.ScalarNode):
    """A date or time; one that looks like a date but is none (2020-13-45) is an error at its line."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise _Refused(None, None, f"'{node.value}' is not a valid date ({exc})", node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


#: deeper nesting is refused before composing: libyaml composes recursively in C and
#: crashes the interpreter (a segmentation fault, not an exception) near 100,000 levels
MAX_DEPTH = 1000
_OPENERS = ("[", "{", "-", ":", "?")  # every collection needs one of its own: depth <= their count
_DEPTH_EVENTS = {yaml.MappingStartEvent: 1, yaml.SequenceStartEvent: 1, yaml.MappingEndEvent: -1, yaml.SequenceEndEvent: -1}


def _nesting(text: str, limit: float = float("inf")) -> tuple[int, int]:
    """The deepest nesting of collections in *text* and the 1-based line where it is reached
    (the scan stops as soon as the depth passes *limit*)."""
    depth, deepest, line = 0, 0, 1
    for event in yaml.parse(text, Loader=_Base):
        depth += _DEPTH_EVENTS.get(type(event), 0)
        if depth > deepest:
            deepest, line = depth, event.start_mark.line + 1
            if deepest > limit:
                break
    return deepest, line


def _too_deep(file: str, line: int, levels: str) -> YamlError:
    return YamlError([error("YAML002", file, line, f"YAML nesting is too deep ({levels} levels)",
                            hint="write the data with a few levels of nesting")])


def _check_depth(text: str, file: str) -> None:
    """YAML002 when collections nest deeper than :data:`MAX_DEPTH` (the event scan runs only when
    the cheap bound, the number of indicator characters, allows that depth)."""
    if sum(text.count(c) for c in _OPENERS) > MAX_DEPTH:
        depth, line = _nesting(text, MAX_DEPTH)
        if depth > MAX_DEPTH:
            raise _too_deep(file, line, f"more than {MAX_DEPTH}")


class _Unusual(Exception):
    """The text holds something the fast path leaves to the full loader."""


_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_RESOLVER = yaml.resolver.Resolver()  # the implicit tags of SafeLoader: null, bool, int, float, timestamp...
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_NO_KEY = object()
_SHALLOW = 64  # deeper documents go to the full loader, which decides on recursion as before


@functools.lru_cache(maxsize=4096)
def _plain(value: str) -> tuple[str, Any]:
    """The resolved tag and the value of the plain (unquoted) scalar *value*."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    if tag == _STR:
        return tag, value
    construct = _Loader.yaml_constructors.get(tag)
    if construct is None:
        raise _Unusual(tag)
    return tag, construct(_CONSTRUCTOR, yaml.ScalarNode(tag, value))


def _fast(text: str) -> Any:
    """The data the full loader would build, straight from libyaml's events, or :class:`_Unusual`.

    Only the common case: no anchors, aliases, tags, merge keys, collection keys, duplicate keys or
    second documents, no deep nesting, no syntax error; anything else raises :class:`_Unusual` so
    that the full loader builds the data or reports the problem exactly as it always has."""
    parser = _Base(text)
    try:
        return _build(parser.get_event)
    finally:
        parser.dispose()


def _build(next_event) -> Any:
    if type(next_event()) is not yaml.StreamStartEvent:
        raise _Unusual("stream")
    event = next_event()
    if type(event) is yaml.StreamEndEvent:
        return None
    if type(event) is not yaml.DocumentStartEvent:
        raise _Unusual("document")
    scalar, mapping, sequence = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    outer: list = []  # the enclosing collections, as (collection, in_list)
    parent: Any = None  # the innermost open collection (None: none yet)
    in_list = False
    key: Any = _NO_KEY  # in a mapping: the key waiting for its value, and its line
    key_line = 0
    while True:
        event = next_event()
        kind = type(event)
        if kind is scalar:
            if event.anchor is not None or event.tag is not None:
                raise _Unusual("anchor or tag")
            tag, value = _plain(event.value) if event.implicit[0] else (_STR, event.value)
            if parent is None:  # a document that is one scalar
                break
            if in_list:
                parent.append(value)
                parent.lines.append(event.start_mark.line + 1)
            elif key is _NO_KEY:
                if tag == _MERGE or value in parent:
                    raise _Unusual("merge or duplicate key")
                key, key_line = value, event.start_mark.line + 1
            else:
                parent[key] = value
                parent.lines[key] = key_line
                key = _NO_KEY
        elif kind is mapping or kind is sequence:
            if event.anchor is not None or event.tag is not None or len(outer) >= _SHALLOW:
                raise _Unusual("anchor, tag or depth")
            line = event.start_mark.line + 1
            value = LineDict() if kind is mapping else LineList()
            value.line = line
            value.lines = {} if kind is mapping else []
            if parent is not None:
                if in_list:
                    parent.append(value)
                    parent.lines.append(line)
                elif key is _NO_KEY:
                    raise _Unusual("a collection as a key")
                else:
                    parent[key] = value
                    parent.lines[key] = key_line
                outer.append((parent, in_list))
            parent, in_list, key = value, kind is sequence, _NO_KEY
        elif kind in ends:
            value = parent
            if not outer:
                break
            parent, in_list = outer.pop()
            key = _NO_KEY
        else:  # an alias, or anything unforeseen
            raise _Unusual(kind.__name__)
    if type(next_event()) is not yaml.DocumentEndEvent or type(next_event()) is not yaml.StreamEndEvent:
        raise _Unusual("more than one document")
    return value


#: what makes the fast path hand a text to the full loader
_LEFT_TO_FULL_LOADER = (_Unusual, yaml.YAMLError, ValueError, TypeError, OverflowError)


def loads(text: str, file: str) -> Any:
    """Parse YAML *text* (named *file* in errors) into LineDict/LineList/scalars."""
    try:
        _check_depth(text, file)
        try:
            return _fast(text)
        except _LEFT_TO_FULL_LOADER:
            pass  # the full loader builds it, or says what is wrong
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        if "could not determine a constructor" in str(problem):
            problem = f"{problem.strip()} (tags that construct objects are not allowed)"
        raise YamlError([error("YAML001", file, line, f"YAML: {problem.strip()}")]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise YamlError([error("YAML001", file, None, f"YAML: {exc}")]) from None
    except RecursionError:
        depth, line = _nesting(text)
        raise _too_deep(file, line, str(depth)) from None


def load_file(path: Path, display: str | None = None, *, scope: textfile.Scope, resolved: bool = False) -> Any:
    """Read (through :func:`livingreview.textfile.read_bytes`, within *scope*) and parse a YAML file; a refused
    file or undecodable bytes are an error naming the file. A missing file raises FileNotFoundError."""
    return load_file_digest(path, display, scope=scope, resolved=resolved)[0]


def load_file_digest(path: Path, display: str | None = None, *, scope: textfile.Scope,
                     resolved: bool = False) -> tuple[Any, str]:
    """:func:`load_file`, and the SHA-256 of the bytes read (so what was loaded is hashed without a second read)."""
    name = display or str(path)
    raw = textfile.read_bytes(path, file=name, scope=scope, exception=YamlError, resolved=resolved)
    return load_bytes(raw, name), hashlib.sha256(raw).hexdigest()


def load_bytes(raw: bytes, file: str) -> Any:
    """Decode (UTF-8) and parse the bytes of a YAML file named *file*; :class:`YamlError` when they do not read."""
    text, problem = textfile.decode(raw, file=file, code="YAML003", kind="YAML")
    if problem is not None:
        raise YamlError([problem])
    return loads(text, file)


def line_of(data: Any, loc: tuple) -> int | None:
    """The line of the deepest element of *loc* (a pydantic error location) found in *data*."""
    line = getattr(data, "line", None)
    node = data
    for step in loc:
        if isinstance(node, LineDict) and step in node:
            line = node.lines.get(step, line)
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.lines[step]
            node = node[step]
        else:
            break
    return line
