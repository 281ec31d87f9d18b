"""Check an Events Framework payload against the JSON Schema its registration gives.

Kept apart from :mod:`gscontract.tenants.registrations` so that the JSON Schema library is imported only
when tenant data registers a schema: ``gscontract validate`` must stay lean on its usual path. It uses
``jsonschema-rs`` (draft 2020-12, formats asserted), the validator the mock already uses for its
request bodies.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

import jsonschema_rs

from ..pointer import PathPart

__all__ = ["schema_error", "schema_problems"]

_MAX_MESSAGE = 200
_MAX_PROBLEMS = 20


@functools.lru_cache(maxsize=256)
def _validator(text: str) -> Any:
    return jsonschema_rs.Draft202012Validator(json.loads(text), validate_formats=True)


def _compiled(schema: Mapping[str, Any]) -> Any:
    # Schemas are dicts (unhashable); their canonical JSON text is the cache key.
    return _validator(json.dumps(schema, sort_keys=True))


def schema_error(schema: Mapping[str, Any]) -> str | None:
    """Why ``schema`` is not a usable JSON Schema; ``None`` when it is."""
    try:
        _compiled(schema)
    except (ValueError, TypeError) as exc:  # jsonschema-rs raises ValueError for an invalid schema
        return str(exc).splitlines()[0][:_MAX_MESSAGE]
    return None


def schema_problems(schema: Mapping[str, Any], payload: Any) -> list[tuple[tuple[PathPart, ...], str]]:
    """(path in the payload, message) for each way ``payload`` breaks ``schema``, at most twenty."""
    check = _compiled(schema)
    if check.is_valid(payload):
        return []
    found = []
    for error in check.iter_errors(payload):
        message = error.message if len(error.message) <= _MAX_MESSAGE else error.message[:_MAX_MESSAGE] + "..."
        found.append((tuple(error.instance_path), message))
        if len(found) == _MAX_PROBLEMS:
            break
    return found
