"""Reading YAML and JSON documents while remembering where each value stood.

Validation messages must name the line of the offending value.  YAML files
(written by people) are composed node by node so every value's line is known.
JSON files (often large and generated) are parsed by ``orjson``, about twice as
fast as the standard parser; a file orjson refuses is parsed again by the
standard one, so every message about a broken file is the one it always was.
Their lines are recovered only when a message needs one (:class:`_JsonLines`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import yaml

from cybrelia.files.diagnostics import Diagnostic, PathPart, ValidationFailed, format_path
from cybrelia.files.limits import MAX_FILE_BYTES, check_yaml_tree
from cybrelia.files.sanitize import one_line

__all__ = ["Document", "read_document"]

#: Python refuses to read integers longer than this many digits (a denial-of-service guard).
_HUGE_NUMBER = re.compile(r"\d{4301,}")
TOO_MANY_DIGITS = "a number of more than 4300 digits"

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Document:
    """A parsed file: its data, and the line of every value in it."""

    file: str
    data: Any
    _lines: dict[tuple[PathPart, ...], int] | None = field(default=None, repr=False)
    _text: str = field(default="", repr=False)
    _problems: list[Diagnostic] = field(default_factory=list, repr=False)
    _json: _JsonLines | None = field(default=None, repr=False)

    def line_of(self, path: Sequence[PathPart]) -> int:
        """The line of the value at ``path``, or of its nearest enclosing value.

        For a value in a mapping that is the line of its key; for an item of a list,
        the line where the item starts.
        """
        if self._lines is None:
            if self._json is None:
                self._json = _JsonLines(self._text)
            return self._json.line_of(path)
        key = tuple(path)
        while key:
            line = self._lines.get(key)
            if line is not None:
                return line
            key = key[:-1]
        return self._lines.get((), 1)

    def diagnostic(
        self, path: Sequence[PathPart], message: str, severity: str = "error"
    ) -> Diagnostic:
        """A diagnostic located at ``path`` in this document."""
        return Diagnostic(
            self.file,
            self.line_of(path),
            format_path(path),
            message,
            "warning" if severity == "warning" else "error",
        )

    @property
    def problems(self) -> list[Diagnostic]:
        """Problems found while parsing (such as duplicate keys), not fatal by themselves."""
        return self._problems


def read_document(path: Path, display: str | None = None) -> Document:
    """Parse a YAML or JSON file.

    Parameters
    ----------
    path
        The file.  ``.json`` files are parsed as JSON; anything else as YAML.
    display
        How to name the file in messages (defaults to ``str(path)``).

    Raises
    ------
    ValidationFailed
        If the file cannot be read or is not well-formed, with its position.
    """
    name = display if display is not None else str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ValidationFailed(
                [Diagnostic(name, 0, "(file)", f"larger than {MAX_FILE_BYTES >> 20} MiB")]
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationFailed([Diagnostic(name, 0, "(file)", "file not found")]) from None
    except IsADirectoryError:
        raise ValidationFailed([Diagnostic(name, 0, "(file)", "is a directory")]) from None
    except UnicodeDecodeError as error:
        raise ValidationFailed(
            [Diagnostic(name, 0, "(file)", f"not UTF-8 text ({error.reason})")]
        ) from None
    except OSError as error:
        raise ValidationFailed(
            [Diagnostic(name, 0, "(file)", error.strerror or str(error))]
        ) from None
    if path.suffix.lower() == ".json":
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError:  # stricter than json: NaN, huge numbers, deep nesting
            data = _standard_json(name, text)
        return Document(name, data, None, text)
    return _read_yaml(name, text)


def _standard_json(name: str, text: str) -> Any:
    """Parse with the standard parser, which reports every problem as it always did."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationFailed(
            [Diagnostic(name, error.lineno, "(syntax)", f"invalid JSON: {error.msg}")]
        ) from None
    except (ValueError, RecursionError) as error:  # a 5000-digit number, [[[[...]]]]
        huge = _HUGE_NUMBER.search(text)
        if isinstance(error, ValueError) and huge is not None:
            line = text.count("\n", 0, huge.start()) + 1
            raise ValidationFailed([Diagnostic(name, line, "(syntax)", TOO_MANY_DIGITS)]) from None
        raise ValidationFailed(
            [Diagnostic(name, 0, "(syntax)", f"invalid JSON: {one_line(str(error))}")]
        ) from None


def _read_yaml(name: str, text: str) -> Document:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(name, None, {(): 1})
        check_yaml_tree(node, name)
        lines: dict[tuple[PathPart, ...], int] = {(): node.start_mark.line + 1}
        problems: list[Diagnostic] = []
        data = _construct(loader, node, (), lines, problems, name)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 0
        message = " ".join(part for part in (error.context, error.problem) if part)
        raise ValidationFailed(
            [Diagnostic(name, line, "(syntax)", f"invalid YAML: {message}")]
        ) from None
    except yaml.YAMLError as error:
        raise ValidationFailed(
            [Diagnostic(name, 0, "(syntax)", f"invalid YAML: {error}")]
        ) from None
    finally:
        loader.dispose()
    return Document(name, data, lines, "", problems)


def _construct(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    path: tuple[PathPart, ...],
    lines: dict[tuple[PathPart, ...], int],
    problems: list[Diagnostic],
    name: str,
) -> Any:
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                key = str(key)
            child = (*path, key)
            line = key_node.start_mark.line + 1
            if key in result:
                problems.append(
                    Diagnostic(name, line, format_path(child), f"duplicate key {key!r}")
                )
            lines[child] = line
            result[key] = _construct(loader, value_node, child, lines, problems, name)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines[child] = item.start_mark.line + 1
            items.append(_construct(loader, item, child, lines, problems, name))
        return items
    try:
        return loader.construct_object(node, deep=True)
    except ValueError as error:  # an integer of thousands of digits
        line = node.start_mark.line + 1
        message = TOO_MANY_DIGITS if "digits" in str(error) else f"unreadable value: {error}"
        raise ValidationFailed([Diagnostic(name, line, format_path(path), message)]) from None


_WHITESPACE = re.compile(r"[ \t\n\r]*")  # JSON's whitespace
_DECODER = json.JSONDecoder()
#: Characters per entry of the table of line numbers (:meth:`_JsonLines._line_at`).
_CHUNK = 1 << 16


class _JsonLines:
    """Lines of the values of a JSON document, found only when a message needs one.

    Walking down a path, the children of each container on the way are located
    once (the standard decoder's ``raw_decode`` skips each child's value at C
    speed) and remembered, so a file with a thousand errors is walked about
    once.  A key repeated in a mapping is located at its last occurrence, whose
    value the parsers keep.  Lines come from a table of the line number at every
    :data:`_CHUNK`-th character.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._children: dict[int, dict[PathPart, tuple[int, int]]] = {}
        self._chunk_lines: list[int] | None = None

    def line_of(self, path: Sequence[PathPart]) -> int:
        source = self._text
        if not source:
            return 1
        start = _WHITESPACE.match(source).end()  # type: ignore[union-attr]  # always matches
        where = start
        try:
            for part in path:
                child = self._members(start).get(part)
                if child is None:
                    break
                where, start = child
        except (ValueError, IndexError, RecursionError):  # not JSON the decoder reads
            pass
        return self._line_at(where)

    def _members(self, start: int) -> dict[PathPart, tuple[int, int]]:
        """Where each child of the container at ``start`` stands: (key or item, value)."""
        known = self._children.get(start)
        if known is not None:
            return known
        source = self._text
        skip = _WHITESPACE.match
        decode = _DECODER.raw_decode
        out: dict[PathPart, tuple[int, int]] = {}
        opening = source[start]
        if opening in "{[":
            closing = "}" if opening == "{" else "]"
            position = skip(source, start + 1).end()  # type: ignore[union-attr]
            index = 0
            while source[position] != closing:
                if opening == "{":
                    key, end = decode(source, position)
                    colon = skip(source, end).end()  # type: ignore[union-attr]
                    value = skip(source, colon + 1).end()  # type: ignore[union-attr]
                    out.pop(key, None)
                    out[key] = (position, value)
                else:
                    value = position
                    out[index] = (value, value)
                    index += 1
                end = decode(source, value)[1]
                position = skip(source, end).end()  # type: ignore[union-attr]
                if source[position] == ",":
                    position = skip(source, position + 1).end()  # type: ignore[union-attr]
        self._children[start] = out
        return out

    def _line_at(self, offset: int) -> int:
        source = self._text
        table = self._chunk_lines
        if table is None:
            table = self._chunk_lines = [0]
            for begin in range(0, len(source), _CHUNK):
                table.append(table[-1] + source.count("\n", begin, begin + _CHUNK))
        chunk = offset // _CHUNK
        return table[chunk] + source.count("\n", chunk * _CHUNK, offset) + 1
