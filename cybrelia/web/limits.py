"""Limits that keep a room of phones from swamping the session: body size and rate.

:class:`BodyLimit` refuses a request body over ``max_body`` bytes with 413,
whether it announces its length or streams it.  :class:`RateLimiter` is a
token bucket per key (a team, or a client address for failed logins); a
dozen lines did not justify a dependency.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["BodyLimit", "RateLimiter"]


class RateLimiter:
    """At most ``burst`` events at once per key, refilled at ``rate`` per second.

    Parameters
    ----------
    rate
        Events per second in the long run.
    burst
        Events allowed in a row.
    clock
        Seconds, monotonic (tests pass their own).
    """

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = float(burst)
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Take one event from ``key``'s bucket; False when it is empty."""
        now = self._clock()
        with self._lock:
            level, since = self._buckets.get(key, (self.burst, now))
            level = min(self.burst, level + (now - since) * self.rate)
            allowed = level >= 1.0
            self._buckets[key] = (level - 1.0 if allowed else level, now)
            return allowed


class _TooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: 413 for request bodies over ``max_body`` bytes."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.max_body + 1
                if declared > self.max_body:
                    await _refuse(send)
                    return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _TooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if not started:
                await _refuse(send)


async def _refuse(send: Send) -> None:
    body = b'{"error": "too large", "reason": "the request body is too large"}'
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
