"""Request-body schemas of the bundled specs, as a backstop behind the rules for whole-body operations.

The rules catch every problem they document, with their own messages; a body of a delete, fetch-deleted,
query or single-event call that still breaks its spec schema is rejected too (HTTP 400), so the mock
never accepts a request its own spec calls invalid (docs/decisions.md#status-codes-and-record-failures: against our mock
that is a failure).
Record-level schemas are not checked here: record problems answer 200 with per-record failures.

Validation uses ``jsonschema-rs`` (schemathesis' own validator): it checks a query body in about a
microsecond, where the pure-Python ``jsonschema`` took most of a millisecond on the mock's hot path.
"""

from __future__ import annotations

import functools
from typing import Any

import jsonschema_rs

from ..specfiles import load_spec

__all__ = ["REQUEST_SCHEMAS", "schema_problem", "validator"]

_MAX_MESSAGE = 300
# The request schemas the mock checks whole bodies against: (spec, schema name).
REQUEST_SCHEMAS = (
    ("timeline", "DeleteRequest"),
    ("timeline", "FetchDeletedRequest"),
    ("timeline", "QueryRequest"),
    ("events", "EventInput"),
)


@functools.cache
def validator(spec: str, schema: str) -> jsonschema_rs.Draft202012Validator:
    """A validator for ``#/components/schemas/<schema>`` of the bundled spec ``spec`` (built once).

    Raises:
        SpecError: the spec cannot be loaded.
    """
    base = f"urn:gscontract:spec:{spec}"
    return jsonschema_rs.Draft202012Validator(
        {"$ref": f"{base}#/components/schemas/{schema}"},
        registry=jsonschema_rs.Registry([(base, load_spec(spec))]),
        validate_formats=True,
    )


def schema_problem(spec: str, schema: str, body: Any) -> str | None:
    """Why ``body`` breaks the schema, in one line naming where; ``None`` when it fits."""
    check = validator(spec, schema)
    if check.is_valid(body):
        return None
    error = next(iter(check.iter_errors(body)))
    where = "/" + "/".join(str(part) for part in error.instance_path)
    message = error.message if len(error.message) <= _MAX_MESSAGE else error.message[:_MAX_MESSAGE] + "..."
    return f"request body does not fit the {schema} schema at {where}: {message}"
