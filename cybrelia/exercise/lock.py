"""One writer per session: an operating-system lock held by whatever drives a session.

Two processes appending to one journal interleave their inputs and leave a
session that can never be replayed, so every writer (``cybrelia play``,
``cybrelia run``, and the participant web server, which drives a session in
the same process as the console and needs no lock of its own) holds an
exclusive :func:`fcntl.flock` lock on a small file beside the session,
``NAME.cybrelia.lock``, for as long as the session is open.  A second writer
is refused at once with :class:`SessionBusy`, which names the holder (process
id, host, since when); readers (``cybrelia export``, ``cybrelia report``)
open the journal read-only and take no lock, so they work on a live session.

The kernel drops the lock when its process dies, however it dies, so a lock
file left behind by a killed process is simply taken over by the next writer
(its contents, the old holder's details, are overwritten).  The lock is taken
*before* a session file is created, so two processes creating one new session
cannot race either.  See ``docs/reliability.md``.

Example
-------
>>> with SessionLock(path):            # doctest: +SKIP
...     ...                            # append to the journal at ``path``
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from cybrelia.exercise.journal import JournalError

__all__ = ["Holder", "SessionBusy", "SessionLock", "lock_path"]


def lock_path(session_path: str | os.PathLike[str]) -> Path:
    """The lock file of the session at ``session_path``: the same name plus ``.lock``."""
    path = Path(session_path)
    return path.with_name(path.name + ".lock")


@dataclass(frozen=True)
class Holder:
    """The process that holds a session's lock, as it wrote itself into the lock file."""

    pid: int
    host: str
    since: str
    """When it took the lock (UTC, ISO 8601)."""
    program: str = ""

    def __str__(self) -> str:
        program = f" ({self.program})" if self.program else ""
        return f"process {self.pid}{program} on {self.host}, since {self.since}"

    @classmethod
    def current(cls) -> Holder:
        """This process, now."""
        program = " ".join(Path(arg).name if i == 0 else arg for i, arg in enumerate(sys.argv[:2]))
        return cls(
            os.getpid(),
            socket.gethostname(),
            datetime.now(UTC).isoformat(timespec="seconds"),
            program,
        )


class SessionBusy(JournalError):
    """Another process is driving the session: it may not be written by a second one."""

    def __init__(self, session_path: Path, holder: Holder | None) -> None:
        self.session_path = session_path
        self.holder = holder
        if holder is None:
            super().__init__("journal.busy_unknown", path=session_path)
            return
        super().__init__(
            "journal.busy",
            path=session_path,
            pid=holder.pid,
            program=f" ({holder.program})" if holder.program else "",
            host=holder.host,
            since=holder.since,
        )


class SessionLock:
    """The exclusive writer's lock of one session (a context manager, or acquire/release).

    Parameters
    ----------
    session_path
        The session file; it need not exist yet (a new session is locked
        before it is created).
    """

    def __init__(self, session_path: str | os.PathLike[str]) -> None:
        self.session_path = Path(session_path)
        self.path = lock_path(session_path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock now."""
        return self._fd is not None

    def acquire(self) -> SessionLock:
        """Take the lock now or raise :class:`SessionBusy`; never waits.

        Raises
        ------
        SessionBusy
            If another writer holds it.
        JournalError
            If the lock file cannot be written (a read-only or missing folder).
        """
        if self._fd is not None:
            raise JournalError("journal.open_already", path=self.session_path)
        while True:
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_holder(fd)
                os.close(fd)
                raise SessionBusy(self.session_path, holder) from None
            if _same_file(fd, self.path):
                break
            os.close(fd)  # the previous holder removed that file as we opened it: again
        try:
            _write_holder(fd, Holder.current())
        except OSError as error:  # a full disk: leave no lock file behind
            with suppress(OSError):
                self.path.unlink()
            os.close(fd)
            raise JournalError(
                "journal.lock_unwritable",
                path=self.session_path,
                lock=self.path.name,
                reason=error.strerror or error,
            ) from None
        self._fd = fd
        return self

    def release(self) -> None:
        """Give the lock up and remove its file (a no-op if not held)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            if _same_file(fd, self.path):
                self.path.unlink(missing_ok=True)  # while still locked, so nobody else's file
        except OSError:
            pass  # a read-only folder now: the next writer takes the unlocked file over
        finally:
            os.close(fd)

    def __enter__(self) -> SessionLock:
        return self.acquire()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()

    def _open(self) -> int:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as error:
            raise JournalError(
                "journal.folder_unwritable",
                path=self.session_path,
                folder=self.path.parent,
                reason=error.strerror or error,
            ) from None


def _same_file(fd: int, path: Path) -> bool:
    """Whether the open ``fd`` is still the file at ``path`` (not removed or replaced)."""
    try:
        here, there = os.fstat(fd), os.stat(path)
    except FileNotFoundError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _write_holder(fd: int, holder: Holder) -> None:
    data = json.dumps(
        {"pid": holder.pid, "host": holder.host, "since": holder.since, "program": holder.program}
    ).encode("utf-8")
    os.ftruncate(fd, 0)
    os.pwrite(fd, data + b"\n", 0)


def _read_holder(fd: int) -> Holder | None:
    """The holder's details, or None if they are not (yet) readable."""
    try:
        data = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
        return Holder(
            int(data["pid"]), str(data["host"]), str(data["since"]), str(data.get("program", ""))
        )
    except (OSError, ValueError, TypeError, KeyError):
        return None
