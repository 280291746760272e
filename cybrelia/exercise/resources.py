"""Pools of response resources (crews, generators, tankers) as SimPy resources.

Each resource entry of the model becomes a :class:`Pool`: a
:class:`simpy.PriorityResource` whose requests queue by priority, then by
arrival, and which can grow when support arrives from outside the gmina.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

from cybrelia.files.model import Resource

__all__ = ["Pool", "pools_from_model"]


class Pool(simpy.PriorityResource):
    """A resource entry: ``count`` identical units of one kind."""

    def __init__(self, env: simpy.Environment, resource: Resource) -> None:
        super().__init__(env, capacity=resource.count)
        self.resource = resource
        self.id = resource.id
        self.kind = resource.kind
        self.fuel_hours = resource.fuel_hours

    @property
    def free(self) -> int:
        """Units not in use now."""
        return int(self.capacity) - len(self.users)

    def rest(self, request: simpy.resources.resource.PriorityRequest, hours: float) -> None:
        """Keep the unit of ``request`` (a crew or volunteer done with a job) for ``hours``
        of rest, then free it."""

        def resting() -> Generator[simpy.Event, Any, None]:
            yield self._env.timeout(hours)
            self.release(request)

        self._env.process(resting())

    def grow(self, count: int) -> None:
        """Add ``count`` units (support arriving); queued requests are served at once."""
        self._capacity += count
        self._trigger_put(None)


def pools_from_model(env: simpy.Environment, resources: list[Resource]) -> dict[str, Pool]:
    """One pool per resource entry, by id."""
    return {resource.id: Pool(env, resource) for resource in sorted(resources, key=lambda r: r.id)}
