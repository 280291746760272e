"""Serving the participant console from the process that drives the session.

:func:`serving` starts uvicorn in a thread of its own, on its own event loop,
waits until it listens, writes the links file, and stops the server (ending
every live stream) when the block ends: the console never outlives its session.
The session's thread is never blocked by it; it only has to call
:meth:`~cybrelia.exercise.participants.Participants.pump` now and then.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import uvicorn

from cybrelia.exercise.participants import Participants
from cybrelia.i18n import text
from cybrelia.web.app import WebConsole, create_app

__all__ = ["ServedConsole", "serving", "write_links"]

#: How long to wait for the server to listen (seconds).
START_SECONDS = 15.0


@dataclass(frozen=True)
class ServedConsole:
    """A running participant console."""

    console: WebConsole
    url: str
    """The base address of the links, ``http://host:port``."""
    server: uvicorn.Server

    @property
    def facilitator_url(self) -> str:
        """The facilitator's page (who has joined, held submissions, handout)."""
        return f"{self.url}/desk/join/{self.console.roster.facilitator_token}"


@contextmanager
def serving(
    participants: Participants,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    links: Path | None = None,
    lang: str = "pl",
    out: TextIO | None = None,
) -> Iterator[ServedConsole]:
    """Serve the participant console for the length of the block.

    Parameters
    ----------
    participants
        The session's participants.
    host, port
        Where to listen; port 0 picks a free one.  ``0.0.0.0`` opens the
        console to the room's network (with a warning): the links then use
        this machine's address on it.
    links
        A file to write ``{team id: join URL}`` into once the server listens.
    lang
        The pages' default language.
    out
        Where the addresses and the warning are printed (stderr by default).
    """
    stream = sys.stderr if out is None else out
    console = WebConsole(participants, lang=lang)
    config = uvicorn.Config(
        create_app(console),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        limit_concurrency=200,
        timeout_keep_alive=5,
        timeout_graceful_shutdown=2,
        lifespan="off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="cybrelia-web", daemon=True)
    try:
        thread.start()
        started = _wait_started(server, thread)
        bound = started.servers[0].sockets[0].getsockname()[1] if started.servers else port
        url = f"http://{_link_host(host)}:{bound}"
        participants.base_url = url
        if _is_open(host):
            print(text("web.serve.open_warning", lang, host=host), file=stream)
        served = ServedConsole(console, url, server)
        if links is not None:
            write_links(links, participants.links())
        print(text("web.serve.listening", lang, url=url, desk=served.facilitator_url), file=stream)
        yield served
    finally:
        participants.close()
        console.stop()
        server.should_exit = True
        thread.join(timeout=10)
        console.bulletin.close()


def write_links(path: Path, links: dict[str, str]) -> None:
    """Write ``{team id: join URL}`` as JSON, readable by its owner only (the links are keys)."""
    text = json.dumps(links, indent=2, ensure_ascii=False) + "\n"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def _wait_started(server: uvicorn.Server, thread: threading.Thread) -> uvicorn.Server:
    deadline = time.monotonic() + START_SECONDS
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    if not server.started:
        server.should_exit = True
        raise OSError("the participant console could not start listening (is the port in use?)")
    return server


def _is_open(host: str) -> bool:
    return host in ("0.0.0.0", "::", "")


def _link_host(host: str) -> str:
    """The host the links name: this machine's address on the room's network when open to it."""
    if not _is_open(host):
        return f"[{host}]" if ":" in host else host
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return socket.gethostname()
    for info in infos:
        address = str(info[4][0])
        if not ipaddress.ip_address(address).is_loopback:
            return address
    return socket.gethostname()
