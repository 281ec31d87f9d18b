"""The Read API: ``POST /v1/data/objects/query/activity_timeline`` over the saved activities.

The object name in the path matches in any letter case (``.../query/Activity_Timeline``), as public
clients write it and Gainsight's data APIs read it.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response

from ...gainsight.operations import QUERY
from ...gainsight.operators import EQ, IN
from ...payload.kinds import Kind
from ..activity_view import activity_row
from ..endpoint import Call, Operation
from ..expression import MAX_EXPRESSION_CHARS, ExpressionError
from ..http import JSONResponse, data_body
from ..query_language import Query, parse_query, run_query
from ..rule_runner import reject_errors
from ..statements import ActivityRow, Tx
from ..traversal import Traversal, TraversalError, follow, traversals

__all__ = ["OPERATIONS"]

_SCHEMA = ("timeline", "QueryRequest")
_EXCERPT_CHARS = 100
_PLAIN_AND = re.compile(r"^[A-Za-z0-9_]+(\s+AND\s+[A-Za-z0-9_]+)*$", re.IGNORECASE)


def _excerpt(text: str) -> str:
    """An expression or field name as an answer quotes it: an over-long one is cut, so the answer stays small."""
    if len(text) <= _EXCERPT_CHARS:
        return repr(text)
    return f"{text[:_EXCERPT_CHARS]!r}... ({len(text)} characters)"


def _id_filter(query: Query) -> tuple[str, tuple[str, ...]] | None:
    """An ExternalId or Gsid condition every match must meet (``EQ``/``IN``), so an index can find the rows."""
    if query.expression is None:
        required = query.conditions
    elif len(query.expression) <= MAX_EXPRESSION_CHARS and _PLAIN_AND.match(query.expression):
        aliases = {a.upper() for a in re.split(r"\s+AND\s+", query.expression, flags=re.IGNORECASE)}
        required = tuple(c for c in query.conditions if c.alias.upper() in aliases)
    else:
        required = ()
    for condition in required:
        indexed = condition.name in ("ExternalId", "Gsid") and condition.operator in (EQ, IN)
        if indexed and all(isinstance(v, str) for v in condition.values):
            return condition.name, tuple(condition.values)
    return None


def _candidates(tx: Tx, id_filter: tuple[str, tuple[str, ...]] | None) -> list[ActivityRow]:
    if id_filter is None:
        return list(tx.activities())
    name, values = id_filter
    return list(tx.activities(external_ids=values) if name == "ExternalId" else tx.activities(gsids=values))


def _refused(desc: str) -> Response:
    """A query the tenant cannot run: HTTP 200, ``result: false``, the reason, no records (as the data APIs answer)."""
    return JSONResponse(data_body({"records": []}, result=False, error=desc))


async def read(call: Call) -> Response:
    """Select, filter, sort and page the saved activities; lookups come back resolved (GSIDs).

    ``<lookup>__gr.<field>`` names read the tenant's users, companies and relationships through the
    activity's lookup fields (:mod:`..traversal`); one the tenant cannot follow refuses the query.
    """
    state = call.state

    def judge() -> tuple[Query, tuple[Traversal, ...] | TraversalError]:
        reject_errors(call.body, Kind.TIMELINE_QUERY, schema=_SCHEMA, tenant=state.tenant, profile=state.profile)
        query = parse_query(call.body)
        try:
            return query, traversals(query.field_names(), state.reference)
        except TraversalError as exc:
            return query, exc

    query, steps = await state.run(judge, inline=call.small)
    if isinstance(steps, TraversalError):
        return _refused(f"Invalid field in the query: {_excerpt(steps.name)}: {steps.reason}")
    wanted = None if query.select is None else frozenset(n.casefold() for n in query.field_names())
    id_filter = _id_filter(query)

    def work() -> list[dict[str, Any]]:
        with state.store.read() as tx:
            rows = [activity_row(a, state.reference, wanted) for a in _candidates(tx, id_filter)]
        for row in rows:
            follow(row, steps, state.reference)
        return run_query(query, rows)

    try:
        # A query by id reads a few rows through an index: cheap enough for the event loop.
        records = await state.run(work, inline=id_filter is not None and len(id_filter[1]) <= 100)
    except ExpressionError as exc:
        # The expression is free text in the spec: answered like the data APIs' query errors.
        return _refused(f"where.expression {_excerpt(query.expression or '')} cannot be parsed: {exc}")
    return JSONResponse(data_body({"records": records}))


OPERATIONS = (Operation.serving(QUERY, read),)
