"""A SimPy environment whose clock runs on the engine's time grid.

Buffer exhaustion times are sums such as ``0.5 + 11.5``; in binary floating
point such sums can miss an inject due at the same instant by one ulp and
split one instant into two.  Rounding every scheduled time onto the grid of
:data:`cybrelia.files.durations.TIME_DIGITS` keeps equal instants equal.
"""

from __future__ import annotations

from heapq import heappush

import simpy
from simpy.core import SimTime
from simpy.events import NORMAL, EventPriority

from cybrelia.files.durations import quantize

__all__ = ["GridEnvironment"]


class GridEnvironment(simpy.Environment):
    """A :class:`simpy.Environment` that rounds event times onto the time grid."""

    def schedule(
        self,
        event: simpy.Event,
        priority: EventPriority = NORMAL,
        delay: SimTime = 0,
    ) -> None:
        """Schedule ``event`` at ``now + delay``, rounded onto the time grid."""
        heappush(self._queue, (quantize(self._now + delay), priority, next(self._eid), event))
