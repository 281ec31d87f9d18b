"""The mock's operations, one module per resource; :data:`OPERATIONS` lists them all."""

from __future__ import annotations

from ..endpoint import Operation
from . import activities, events, jobs, query, specs

__all__ = ["OPERATIONS"]

OPERATIONS: tuple[Operation, ...] = (
    *activities.OPERATIONS,
    *jobs.OPERATIONS,
    *query.OPERATIONS,
    *events.OPERATIONS,
    *specs.OPERATIONS,
)
