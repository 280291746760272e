"""The ``--vary`` mini-language: what a dry run changes from one replication to the next.

A spec names a *target* (something in the scenario, its model or the response
script) and how each run gets its value::

    repair_hours=lognormal(1,0.3)          every repair takes a factor of its hours
    inject_jitter=uniform(-30m,30m)        every timed inject moves by its own draw
    responses.delay=gamma(2,15m)           the teams act later by one draw per run
    resources.gen-mobile-large.count=+1    one more trailer generator, in every run

The grammar (EBNF; blanks are allowed between tokens)::

    spec     = target "=" value ;
    target   = segment { "." segment } ;
    segment  = word | "[" text "]" ;           (* brackets for ids with dots *)
    value    = [ "+" | "-" | "*" ] term ;      (* add, subtract, multiply; none: set *)
    term     = number | distribution ;
    distribution = word "(" number { "," number } ")" ;
    number   = [ "+" | "-" ] digits [ "." digits ] [ exponent ] [ unit { number-part } ] ;
    unit     = "d" | "h" | "m" ;               (* 1h30m = 1.5; -30m = -0.5; hours *)

Which targets exist and what their values mean is :data:`TARGETS` (and
docs/dryrun.md); they are checked against the scenario, model and script in
:mod:`cybrelia.ensemble.plan`.  Every problem is reported with the column of
the spec where it was found.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = [
    "DISTRIBUTIONS",
    "Distribution",
    "Operation",
    "Spec",
    "VaryError",
    "parse_spec",
    "parse_specs",
]

Operation = Literal["set", "add", "subtract", "multiply"]

#: Distribution names, their parameters (for messages) and how one value is drawn.
DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "uniform": ("low", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
    "gamma": ("shape", "scale"),
    "triangular": ("low", "mode", "high"),
    "beta": ("a", "b"),
    "choice": ("value", "..."),
}

_OPERATIONS: dict[str, Operation] = {"+": "add", "-": "subtract", "*": "multiply"}
_WORD = re.compile(r"[A-Za-z0-9_-]+")
_NUMBER = re.compile(
    r"[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)"
    r"(?:[dhm](?:(?:\d+(?:\.\d*)?|\.\d+)[dhm])*(?:\d+(?:\.\d*)?)?)?"
)
_UNIT_HOURS = {"d": 24.0, "h": 1.0, "m": 1.0 / 60.0}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)([dhm])")


class VaryError(ValueError):
    """A spec that cannot be parsed or does not fit the scenario, with where and why.

    Parameters
    ----------
    spec
        The spec as written.
    column
        1-based column of the problem in ``spec``.
    message
        What is wrong, in words people act on.
    """

    def __init__(self, spec: str, column: int, message: str) -> None:
        super().__init__(f"--vary {spec!r}: column {column}: {message}")
        self.spec = spec
        self.column = column
        self.message = message

    def located(self) -> str:
        """The message, the spec, and a caret under the column."""
        caret = " " * (self.column - 1) + "^"
        return f"--vary: column {self.column}: {self.message}\n  {self.spec}\n  {caret}"


@dataclass(frozen=True)
class Distribution:
    """A constant or a named distribution with its parameters (hours where a unit was given)."""

    name: str
    args: tuple[float, ...]

    def draw(self, rng: np.random.Generator) -> float:
        """One value; constants draw nothing, so adding a constant spec changes no other draw."""
        a = self.args
        if self.name == "constant":
            return a[0]
        if self.name == "uniform":
            return float(rng.uniform(a[0], a[1]))
        if self.name == "normal":
            return float(rng.normal(a[0], a[1]))
        if self.name == "lognormal":
            return float(a[0] * math.exp(rng.normal(0.0, a[1])))
        if self.name == "gamma":
            return float(rng.gamma(a[0], a[1]))
        if self.name == "triangular":
            return float(rng.triangular(a[0], a[1], a[2]))
        if self.name == "beta":
            return float(rng.beta(a[0], a[1]))
        if self.name == "choice":
            return a[int(rng.integers(len(a)))]
        raise AssertionError(self.name)  # pragma: no cover - parse_spec admits only these

    @property
    def random(self) -> bool:
        """Whether the value differs from run to run."""
        return self.name != "constant"

    def __str__(self) -> str:
        if self.name == "constant":
            return f"{self.args[0]:g}"
        return f"{self.name}({', '.join(f'{v:g}' for v in self.args)})"


@dataclass(frozen=True)
class Spec:
    """One parsed ``--vary`` spec.

    ``path`` is the target's segments (``("resources", "gen-mobile", "count")``),
    ``columns`` the column of each segment in ``text``, for located errors.
    """

    text: str
    path: tuple[str, ...]
    columns: tuple[int, ...]
    operation: Operation
    distribution: Distribution

    @property
    def target(self) -> str:
        """The target as a column name: segments joined by dots, bracketed if they hold one."""
        return ".".join(f"[{s}]" if "." in s else s for s in self.path)

    def apply(self, base: float, value: float) -> float:
        """The run's value of the target from its value in the files and the draw."""
        if self.operation == "add":
            return base + value
        if self.operation == "subtract":
            return base - value
        if self.operation == "multiply":
            return base * value
        return value

    def error(self, segment: int, message: str) -> VaryError:
        """A :class:`VaryError` located at a segment of the target."""
        return VaryError(self.text, self.columns[segment], message)


class _Reader:
    """A cursor over one spec, skipping blanks, that knows its column."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0

    def blanks(self) -> None:
        while self.pos < len(self.source) and self.source[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        self.blanks()
        return self.source[self.pos : self.pos + 1]

    def column(self) -> int:
        self.blanks()
        return self.pos + 1

    def fail(self, message: str) -> VaryError:
        return VaryError(self.source, self.column(), message)

    def expect(self, char: str, what: str) -> None:
        if self.peek() != char:
            found = repr(self.peek()) if self.peek() else "the end"
            raise self.fail(f"expected {what}, found {found}")
        self.pos += 1

    def match(self, pattern: re.Pattern[str]) -> str | None:
        self.blanks()
        found = pattern.match(self.source, self.pos)
        if found is None:
            return None
        self.pos = found.end()
        return found.group(0)


def parse_spec(source: str) -> Spec:
    """Parse one spec (see the grammar above).

    Raises
    ------
    VaryError
        Located at the first problem.
    """
    reader = _Reader(source)
    path, columns = _target(reader)
    reader.expect("=", "'=' after the target")
    operation: Operation = "set"
    sign = reader.peek()
    if sign in _OPERATIONS:
        # "+1" and "-30m" read as changes of the value in the files; "*1.5" as a factor.
        operation = _OPERATIONS[sign]
        reader.pos += 1
    distribution = _term(reader)
    if reader.peek():
        raise reader.fail(f"unexpected {reader.peek()!r} after the value")
    return Spec(source, tuple(path), tuple(columns), operation, distribution)


def parse_specs(texts: list[str]) -> tuple[list[Spec], list[VaryError]]:
    """Parse every spec; the ones that parse, and every error (all at once)."""
    specs: list[Spec] = []
    errors: list[VaryError] = []
    for source in texts:
        try:
            specs.append(parse_spec(source))
        except VaryError as error:
            errors.append(error)
    return specs, errors


def _target(reader: _Reader) -> tuple[list[str], list[int]]:
    path: list[str] = []
    columns: list[int] = []
    while True:
        columns.append(reader.column())
        if reader.peek() == "[":
            end = reader.source.find("]", reader.pos)
            if end < 0:
                raise reader.fail("unclosed '['")
            segment = reader.source[reader.pos + 1 : end].strip()
            if not segment:
                raise reader.fail("empty '[]'")
            reader.pos = end + 1
        else:
            word = reader.match(_WORD)
            if word is None:
                found = repr(reader.peek()) if reader.peek() else "the end"
                raise reader.fail(f"expected a target name, found {found}")
            segment = word
        path.append(segment)
        if reader.peek() != ".":
            return path, columns
        reader.pos += 1


def _term(reader: _Reader) -> Distribution:
    column = reader.column()
    if reader.peek().isalpha():
        name = reader.match(_WORD)
        assert name is not None
        if name not in DISTRIBUTIONS:
            known = ", ".join(sorted(DISTRIBUTIONS))
            raise VaryError(
                reader.source, column, f"unknown distribution {name!r} (known: {known})"
            )
        reader.expect("(", f"'(' after {name}")
        args = [_number(reader)]
        while reader.peek() == ",":
            reader.pos += 1
            args.append(_number(reader))
        reader.expect(")", "',' or ')'")
        _check_args(reader.source, column, name, args)
        return Distribution(name, tuple(args))
    return Distribution("constant", (_number(reader),))


def _number(reader: _Reader) -> float:
    column = reader.column()
    source = reader.match(_NUMBER)
    if source is None:
        found = repr(reader.peek()) if reader.peek() else "the end"
        raise VaryError(
            reader.source, column, f"expected a number such as 2, 0.5 or 30m, found {found}"
        )
    sign = -1.0 if source.startswith("-") else 1.0
    body = source.lstrip("+-")
    if not any(unit in body for unit in _UNIT_HOURS):
        return sign * float(body)
    # Durations: 1h30m; a number without a unit before the first unit is not allowed.
    parts = _PART.findall(body)
    if "".join(value + unit for value, unit in parts) != body:
        raise VaryError(reader.source, column, f"{source!r} is not a duration such as 1h30m")
    return sign * sum(float(value) * _UNIT_HOURS[unit] for value, unit in parts)


def _check_args(source: str, column: int, name: str, args: list[float]) -> None:
    wanted = DISTRIBUTIONS[name]
    if name == "choice":
        if not args:
            raise VaryError(source, column, "choice needs at least one value")
        return
    if len(args) != len(wanted):
        raise VaryError(
            source,
            column,
            f"{name} takes {len(wanted)} parameters ({', '.join(wanted)}), not {len(args)}",
        )
    problems = {
        "uniform": args[0] > args[-1] and "low must not exceed high",
        "normal": args[1] < 0 and "sd must not be negative",
        "lognormal": (args[0] <= 0 or args[1] < 0)
        and "median must be positive, sigma not negative",
        "gamma": (args[0] <= 0 or args[1] <= 0) and "shape and scale must be positive",
        "triangular": not (args[0] <= args[1] <= args[-1]) and "needs low <= mode <= high",
        "beta": (args[0] <= 0 or args[-1] <= 0) and "a and b must be positive",
    }
    problem = problems.get(name)
    if problem:
        raise VaryError(source, column, f"{name}: {problem}")
