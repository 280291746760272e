"""The session journal: an append-only SQLite file of every input, committed at once.

A session's state is never stored; it is rebuilt by replaying the inputs into a
fresh :class:`cybrelia.exercise.core.Exercise`, which is deterministic.  So
the journal holds only what cannot be recomputed: the scenario and model as
they were when the session began (later edits to the files cannot change a
replay), the seed, and each input with its sim time and wall time.

Each input is its own committed transaction in WAL mode with full sync, so a
process killed at any moment loses nothing it had committed.  Triggers make
the input table append-only.  A file of another journal version, or one that
is not a journal at all, is refused with a clear error and left untouched.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cybrelia import __version__

__all__ = ["JOURNAL_FORMAT", "Input", "Journal", "JournalError"]

JOURNAL_FORMAT = "cybrelia.journal/1"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (path TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE inputs (
    seq INTEGER PRIMARY KEY,
    sim_time REAL NOT NULL,
    wall_time TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE TRIGGER inputs_append_only_update BEFORE UPDATE ON inputs
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER inputs_append_only_delete BEFORE DELETE ON inputs
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
"""


class JournalError(Exception):
    """A journal that cannot be used: missing, corrupt, or of another version."""


@dataclass(frozen=True)
class Input:
    """One recorded input: what happened, at which sim time, and when on the wall clock."""

    seq: int
    sim_time: float
    wall_time: str
    kind: str
    payload: dict[str, Any]


class Journal:
    """An open session journal."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        *,
        scenario: str,
        files: dict[str, str],
        seed: int,
    ) -> Journal:
        """Start a new journal.

        Parameters
        ----------
        path
            The file; it must not exist yet.
        scenario
            Path of the scenario inside ``files``.
        files
            The scenario and model texts, by their relative paths.
        seed
            The seed of the run.
        """
        target = Path(path)
        if target.exists():
            raise JournalError(f"{target}: a session exists there already")
        target.parent.mkdir(parents=True, exist_ok=True)
        # Built beside the target and renamed into place, so a process killed while
        # creating it leaves either no session or a whole one.
        partial = target.with_name(target.name + ".partial")
        for leftover in _database_files(partial):
            leftover.unlink(missing_ok=True)
        db = _connect(partial)
        with db:
            db.executescript(_SCHEMA)
            meta = {
                "format": JOURNAL_FORMAT,
                "cybrelia_version": __version__,
                "scenario": scenario,
                "seed": str(seed),
                "created": _now(),
            }
            db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
            db.executemany("INSERT INTO files VALUES (?, ?)", sorted(files.items()))
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        os.replace(partial, target)
        for leftover in _database_files(partial):
            leftover.unlink(missing_ok=True)
        return cls(target, _connect(target))

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Journal:
        """Open an existing journal, checking that it is one this version can replay."""
        target = Path(path)
        if not target.is_file():
            raise JournalError(f"{target}: no session there")
        _check(target)
        return cls(target, _connect(target))

    @property
    def meta(self) -> dict[str, str]:
        """The journal's metadata (format, version, scenario, seed, created)."""
        return dict(self._db.execute("SELECT key, value FROM meta").fetchall())

    def files(self) -> dict[str, str]:
        """The scenario and model texts the session began with."""
        return dict(self._db.execute("SELECT path, text FROM files").fetchall())

    def append(self, kind: str, sim_time: float, payload: dict[str, Any]) -> Input:
        """Record an input and commit it before returning."""
        wall = _now()
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO inputs (sim_time, wall_time, kind, payload) VALUES (?, ?, ?, ?)",
                (sim_time, wall, kind, text),
            )
        seq = cursor.lastrowid
        assert seq is not None
        return Input(seq, sim_time, wall, kind, payload)

    def inputs(self) -> Iterator[Input]:
        """Every input, in the order it happened."""
        try:
            rows = self._db.execute(
                "SELECT seq, sim_time, wall_time, kind, payload FROM inputs ORDER BY seq"
            ).fetchall()
        except sqlite3.DatabaseError as error:
            raise JournalError(f"{self.path}: damaged journal ({error})") from None
        for seq, sim_time, wall, kind, payload in rows:
            try:
                data = json.loads(payload)
            except json.JSONDecodeError:
                raise JournalError(f"{self.path}: input {seq} is damaged") from None
            yield Input(seq, sim_time, wall, kind, data)

    def close(self) -> None:
        """Close the file (everything is committed already)."""
        self._db.close()


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    return db


def _check(path: Path) -> None:
    """Check, without changing anything, that ``path`` is a journal this version replays."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise JournalError(f"{path}: cannot be opened ({error})") from None
    try:
        rows = dict(db.execute("SELECT key, value FROM meta").fetchall())
        db.execute("SELECT count(*) FROM inputs").fetchone()
    except sqlite3.DatabaseError as error:
        raise JournalError(
            f"{path}: not a CYBRELIA session journal, or a damaged one ({error})"
        ) from None
    finally:
        db.close()
    found = rows.get("format")
    if found != JOURNAL_FORMAT:
        raise JournalError(
            f"{path}: journal format {found!r} was written by another version of CYBRELIA "
            f"({rows.get('cybrelia_version', 'unknown')}); this one reads {JOURNAL_FORMAT!r}"
        )


def _database_files(path: Path) -> list[Path]:
    """A SQLite file and its WAL companions."""
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")
