"""The Read API: ``POST /v1/data/objects/query/activity_timeline`` over the saved activities."""

from __future__ import annotations

import re
from typing import Any

import orjson
from starlette.responses import Response

from ...kinds import Kind
from ..checks import reject_errors
from ..endpoint import Call, Operation
from ..http import BodyError, JSONResponse, data_body
from ..ids import iso_from_ms
from ..query import ExpressionError, Query, QueryError, parse_query, run_query
from ..store import ActivityRow, Tx

__all__ = ["OPERATIONS"]

_SCHEMA = ("timeline", "QueryRequest")
_PLAIN_AND = re.compile(r"^[A-Za-z0-9_]+(\s+AND\s+[A-Za-z0-9_]+)*$", re.IGNORECASE)


def _row(activity: ActivityRow) -> dict[str, Any]:
    row: dict[str, Any] = orjson.loads(activity.doc)
    row["Gsid"] = activity.gsid
    row["ExternalId"] = activity.external_id
    row["CreatedDate"] = iso_from_ms(activity.created_ms)
    row["ModifiedDate"] = iso_from_ms(activity.modified_ms)
    return row


def _candidates(tx: Tx, query: Query) -> list[ActivityRow]:
    """All activities, or only those an ExternalId/Gsid condition that must hold can match (an index read)."""
    if query.expression is None:
        required = query.conditions
    elif _PLAIN_AND.match(query.expression):
        aliases = {a.upper() for a in re.split(r"\s+AND\s+", query.expression, flags=re.IGNORECASE)}
        required = tuple(c for c in query.conditions if c.alias.upper() in aliases)
    else:
        required = ()
    for condition in required:
        if condition.operator in ("EQ", "IN") and all(isinstance(v, str) for v in condition.values):
            if condition.name == "ExternalId":
                return list(tx.activities(external_ids=condition.values))
            if condition.name == "Gsid":
                return list(tx.activities(gsids=condition.values))
    return list(tx.activities())


async def read(call: Call) -> Response:
    """Select, filter, sort and page the saved activities; lookups come back resolved (GSIDs)."""
    state = call.state
    reject_errors(call.body, Kind.TIMELINE_QUERY, schema=_SCHEMA, tenant=state.tenant, profile=state.profile)
    try:
        query = parse_query(call.body)
    except QueryError as exc:
        raise BodyError(400, str(exc)) from None

    def work() -> list[dict[str, Any]]:
        with state.store.read() as tx:
            rows = [_row(a) for a in _candidates(tx, query)]
        return run_query(query, rows)

    try:
        records = await state.run(work)
    except ExpressionError as exc:
        # The expression is free text in the spec: answered like the data APIs' query errors (decisions §5).
        desc = f"where.expression {query.expression!r} cannot be parsed: {exc}"
        return JSONResponse(data_body({"records": []}, result=False, error=desc))
    return JSONResponse(data_body({"records": records}))


OPERATIONS = (Operation("POST", "/v1/data/objects/query/activity_timeline", read, group="query", body=True),)
