"""Reading YAML and JSON documents while remembering where each value stood.

Validation messages must name the line of the offending value.  YAML files
(written by people) are composed node by node so every value's line is known.
JSON files (often large and generated) are parsed with the fast standard
parser, and their lines are recovered only when a message needs one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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

    def line_of(self, path: Sequence[PathPart]) -> int:
        """The line of the value at ``path``, or of its nearest enclosing value."""
        if self._lines is None:
            self._lines = _line_map(self._text) if self._text else {}
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
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationFailed(
                [Diagnostic(name, error.lineno, "(syntax)", f"invalid JSON: {error.msg}")]
            ) from None
        except (ValueError, RecursionError) as error:  # a 5000-digit number, [[[[...]]]]
            huge = _HUGE_NUMBER.search(text)
            if isinstance(error, ValueError) and huge is not None:
                line = text.count("\n", 0, huge.start()) + 1
                raise ValidationFailed(
                    [Diagnostic(name, line, "(syntax)", TOO_MANY_DIGITS)]
                ) from None
            raise ValidationFailed(
                [Diagnostic(name, 0, "(syntax)", f"invalid JSON: {one_line(str(error))}")]
            ) from None
        return Document(name, data, None, text)
    return _read_yaml(name, text)


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


def _line_map(text: str) -> dict[tuple[PathPart, ...], int]:
    """Lines of a JSON document's values, recovered through the YAML composer."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: dict[tuple[PathPart, ...], int] = {}
        if node is not None:
            lines[()] = node.start_mark.line + 1
            _construct(loader, node, (), lines, [], "")
        return lines
    except yaml.YAMLError:
        return {}
    finally:
        loader.dispose()
