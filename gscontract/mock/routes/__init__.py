"""The mock's operations, one module per resource; :data:`OPERATIONS` lists them all."""

from __future__ import annotations

from ..endpoint import Operation
from . import activities, events, jobs, query, specs

__all__ = ["OPERATIONS"]

# The router tries paths in this order: the busiest operations come first.
OPERATIONS: tuple[Operation, ...] = (
    *activities.OPERATIONS,
    *query.OPERATIONS,
    *jobs.OPERATIONS,
    *events.OPERATIONS,
    *specs.OPERATIONS,
)
