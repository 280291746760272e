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

import errno
import functools
import json
import math
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cybrelia import __version__
from cybrelia.i18n import MessageError, text

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


class JournalError(MessageError):
    """A journal that cannot be used: missing, corrupt, or of another version.

    Its text is a catalogue message (:class:`cybrelia.i18n.MessageError`), so the
    console and the terminal say it in their language.
    """


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

    def __init__(self, path: Path, connection: sqlite3.Connection, *, writable: bool) -> None:
        self.path = path
        self.writable = writable
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
            raise JournalError("journal.exists", path=target)
        # Built beside the target and renamed into place, so a process killed while
        # creating it leaves either no session or a whole one; the caller holds the
        # session's lock (cybrelia.exercise.lock), so no other process builds it too.
        partial = target.with_name(target.name + ".partial")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            _remove(partial)
            db = _connect(partial)
            try:
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
            finally:
                db.close()
            os.replace(partial, target)
        except (OSError, sqlite3.Error) as error:
            with suppress(OSError):
                _remove(partial)
            raise JournalError(
                "journal.cannot_create", path=target, reason=_reason(error)
            ) from None
        with suppress(OSError):
            _remove(partial)
        return cls(target, _connect(target), writable=True)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, write: bool = False) -> Journal:
        """Open an existing journal, checking that it is one this version can replay.

        Parameters
        ----------
        path
            The session file.
        write
            Open it for appending; the caller holds the session's lock.  Without
            it the journal is opened read-only, which works on a live session and
            on a read-only medium, and never changes the file.
        """
        target = Path(path)
        if not target.is_file():
            raise JournalError("journal.missing", path=target)
        _check(target)
        if not write:
            return cls(target, _connect_read_only(target), writable=False)
        try:
            return cls(target, _connect(target), writable=True)
        except sqlite3.Error as error:
            raise JournalError("journal.cannot_write", path=target, reason=_reason(error)) from None

    @property
    def meta(self) -> dict[str, str]:
        """The journal's metadata (format, version, scenario, seed, created)."""
        return dict(self._read("SELECT key, value FROM meta"))

    def files(self) -> dict[str, str]:
        """The scenario and model texts the session began with."""
        rows = self._read("SELECT path, text FROM files")
        for path, stored in rows:
            if not isinstance(path, str) or not isinstance(stored, str):
                raise JournalError("journal.file_damaged", path=self.path, file=repr(path))
        return dict(rows)

    def append(self, kind: str, sim_time: float, payload: dict[str, Any]) -> Input:
        """Record an input and commit it before returning.

        Raises
        ------
        JournalError
            If it cannot be recorded (a full disk, a read-only file); the journal
            then holds exactly what it held before.
        """
        if not self.writable:
            raise JournalError("journal.read_only", path=self.path)
        wall = _now()
        encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True, allow_nan=False)
        try:
            with self._db:
                cursor = self._db.execute(
                    "INSERT INTO inputs (sim_time, wall_time, kind, payload) VALUES (?, ?, ?, ?)",
                    (sim_time, wall, kind, encoded),
                )
        except sqlite3.Error as error:
            raise JournalError(
                "journal.cannot_record", path=self.path, kind=kind, reason=_reason(error)
            ) from None
        seq = cursor.lastrowid
        assert seq is not None
        return Input(seq, sim_time, wall, kind, payload)

    def inputs(self) -> Iterator[Input]:
        """Every input, in the order it happened, each row checked before it is used.

        Raises
        ------
        JournalError
            Naming the first row that is damaged or tampered with (nothing is
            changed in the file).
        """
        rows = self._read("SELECT seq, sim_time, wall_time, kind, payload FROM inputs ORDER BY seq")
        previous = 0.0
        for seq, sim_time, wall, kind, payload in rows:
            entry = _row(self.path, seq, sim_time, wall, kind, payload, previous)
            previous = entry.sim_time
            yield entry

    def close(self) -> None:
        """Close the file (everything is committed already)."""
        self._db.close()

    def _read(self, query: str) -> list[Any]:
        try:
            return self._db.execute(query).fetchall()
        except sqlite3.DatabaseError as error:
            raise JournalError("journal.damaged", path=self.path, error=error) from None


def _row(
    path: Path, seq: Any, sim_time: Any, wall: Any, kind: Any, payload: Any, previous: float
) -> Input:
    """One input row as an :class:`Input`, or a JournalError naming what is wrong with it."""

    def damaged(why: str, **fields: object) -> JournalError:
        return JournalError(
            "journal.row_damaged", path=path, seq=seq, why=functools.partial(text, why, **fields)
        )

    if not isinstance(seq, int) or isinstance(seq, bool):
        raise damaged("journal.why.seq", value=repr(seq))
    if isinstance(sim_time, bool) or not isinstance(sim_time, int | float):
        raise damaged("journal.why.time_not_number", value=repr(sim_time))
    if not math.isfinite(sim_time) or sim_time < previous:
        raise damaged("journal.why.time_before", value=repr(sim_time))
    if not isinstance(wall, str) or not isinstance(kind, str):
        raise damaged("journal.why.not_text")
    if not isinstance(payload, str):
        raise damaged("journal.why.payload_not_text")
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError):
        raise damaged("journal.why.payload_not_json") from None
    if not isinstance(data, dict):
        raise damaged("journal.why.payload_not_object")
    return Input(seq, float(sim_time), wall, kind, data)


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    return db


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that never writes, also where the folder cannot be written."""
    uri = path.resolve().as_uri()
    try:
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True)
        db.execute("PRAGMA schema_version").fetchone()
        return db
    except sqlite3.OperationalError as error:
        if "unable to open" not in str(error):
            raise
        # A WAL journal in a read-only folder cannot get its shared-memory file; a
        # session that is not live there (nobody can write it) is read as immutable.
        db = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)
        return db


def _check(path: Path) -> None:
    """Check, without changing anything, that ``path`` is a journal this version replays."""
    try:
        db = _connect_read_only(path)
    except sqlite3.DatabaseError as error:
        raise JournalError("journal.not_a_journal", path=path, error=error) from None
    except sqlite3.Error as error:
        raise JournalError("journal.cannot_open", path=path, error=error) from None
    try:
        rows = dict(db.execute("SELECT key, value FROM meta").fetchall())
        db.execute("SELECT count(*) FROM inputs").fetchone()
    except sqlite3.DatabaseError as error:
        raise JournalError("journal.not_a_journal", path=path, error=error) from None
    finally:
        db.close()
    found = rows.get("format")
    if found != JOURNAL_FORMAT:
        raise JournalError(
            "journal.other_version",
            path=path,
            found=repr(found),
            version=rows.get("cybrelia_version", "?"),
            reads=repr(JOURNAL_FORMAT),
        )
    for key in ("scenario", "seed"):
        if not isinstance(rows.get(key), str):
            raise JournalError("journal.meta_damaged", path=path, key=key)


def _reason(error: BaseException) -> Callable[[str], str] | str:
    """What went wrong, in words a facilitator understands (in their language)."""
    detail = getattr(error, "strerror", None) or str(error)
    if "disk is full" in detail or getattr(error, "errno", None) == errno.ENOSPC:
        return functools.partial(text, "journal.reason.disk_full")
    if "readonly" in detail or getattr(error, "errno", None) in (errno.EROFS, errno.EACCES):
        return functools.partial(text, "journal.reason.read_only", detail=detail)
    return detail


def _remove(path: Path) -> None:
    """Remove a SQLite file and its WAL companions."""
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        file.unlink(missing_ok=True)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")
