"""Bulk work without pauses of the cyclic garbage collector.

Loading a model of 100,000 assets allocates millions of small objects and no
reference cycles worth collecting; Python's collector would still walk the
whole heap again and again while they are made, tripling the load time.  A
simulation run makes and drops events by the hundred thousand, with the same
effect.  Reference counting frees all of them as usual; any cycles left are
collected once the collector runs again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause automatic garbage collection for the block."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
