"""Request-body schemas of the bundled specs, as a backstop behind the rules for whole-body operations.

The rules catch every problem they document, with their own messages; a body of a delete, fetch-deleted,
query or single-event call that still breaks its spec schema is rejected too (HTTP 400), so the mock
never accepts a request its own spec calls invalid (decisions §1: against our mock that is a failure).
Record-level schemas are not checked here: record problems answer 200 with per-record failures.
"""

from __future__ import annotations

import functools
from typing import Any

# jsonschema ships no type information (its stubs are a separate package this project does not install).
from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]
from jsonschema.exceptions import best_match  # type: ignore[import-untyped]
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from ..specfiles import load_spec

__all__ = ["schema_problem", "validator"]

_MAX_MESSAGE = 300


@functools.cache
def validator(spec: str, schema: str) -> Draft202012Validator:
    """A validator for ``#/components/schemas/<schema>`` of the bundled spec ``spec`` (built once).

    Raises:
        SpecError: the spec cannot be loaded.
    """
    base = f"urn:gscontract:spec:{spec}"
    resource = DRAFT202012.create_resource(load_spec(spec))
    return Draft202012Validator(
        {"$ref": f"{base}#/components/schemas/{schema}"},
        registry=Registry().with_resource(base, resource),
        format_checker=FormatChecker(),
    )


def schema_problem(spec: str, schema: str, body: Any) -> str | None:
    """Why ``body`` breaks the schema, in one line naming where; ``None`` when it fits."""
    check = validator(spec, schema)
    if check.is_valid(body):
        return None
    error = best_match(check.iter_errors(body))
    if error is None:  # pragma: no cover - is_valid said there is one
        return None
    where = "/" + "/".join(str(part) for part in error.absolute_path)
    message = error.message if len(error.message) <= _MAX_MESSAGE else error.message[:_MAX_MESSAGE] + "..."
    return f"request body does not fit the {schema} schema at {where}: {message}"
