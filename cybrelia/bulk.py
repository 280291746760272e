"""Bulk work without pauses of the cyclic garbage collector.

Loading a model of 100,000 assets allocates millions of small objects and no
reference cycles worth collecting; Python's collector would still walk the
whole heap again and again while they are made, tripling the load time, and
again during the simulation that follows.  The objects made in bulk live as
long as the model, so they are frozen out of later collections (reference
counting still frees them when the model goes).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause automatic garbage collection for the block, then freeze what it made."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
