"""The mock's operations, one module per resource; :data:`OPERATIONS` lists them all."""

from __future__ import annotations

from ..endpoint import Operation
from . import activity_routes, event_routes, framework_routes, job_routes, query_routes, spec_routes

__all__ = ["OPERATIONS"]

# The router tries paths in this order: the busiest operations come first.
OPERATIONS: tuple[Operation, ...] = (
    *activity_routes.OPERATIONS,
    *query_routes.OPERATIONS,
    *job_routes.OPERATIONS,
    *event_routes.OPERATIONS,
    *framework_routes.OPERATIONS,
    *spec_routes.OPERATIONS,
)
