"""Bulk work without pauses of the cyclic garbage collector.

Loading a model of 100,000 assets allocates millions of small objects and no
reference cycles worth collecting; Python's collector would still walk the
whole heap again and again while they are made, tripling the load time.  A
simulation run makes and drops events by the hundred thousand, with the same
effect.  Reference counting frees all of them as usual; any cycles left are
collected once the collector runs again.

After a bulk load, one full collection right away (``collect_after``) is
cheaper than the one Python would otherwise start in the middle of the next
simulation: it lets the collector count the model among its long-lived
objects, so it leaves them alone until the heap has grown by a quarter.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused(*, collect_after: bool = False) -> Iterator[None]:
    """Pause automatic garbage collection for the block.

    Parameters
    ----------
    collect_after
        Run one full collection at the end (after loading a model).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collect_after:
            gc.collect()
        if was_enabled:
            gc.enable()
