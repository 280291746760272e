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
from types import TracebackType

__all__ = ["collector_paused"]


class collector_paused:  # named as the function it replaced; used the same way
    """Pause automatic garbage collection for the block.

    A class rather than :func:`contextlib.contextmanager`: every ``advance_to`` of
    an engine enters it, thousands of times per dry run, and the generator-based
    manager costs several times as much per use.

    Parameters
    ----------
    collect_after
        Run one full collection at the end (after loading a model), unless the
        collector was off already: then no automatic collection follows to prepare
        for (``cybrelia simulate`` keeps it off for the whole command).
    """

    __slots__ = ("_collect_after", "_was_enabled")

    def __init__(self, *, collect_after: bool = False) -> None:
        self._collect_after = collect_after
        self._was_enabled = False

    def __enter__(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._collect_after and self._was_enabled:
            gc.collect()
        if self._was_enabled:
            gc.enable()
