"""Scenario checks of saved activities (CT201-CT204, CT207): valid and invalid records, round trip, duplicates, keys."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...gainsight.codes import EXTERNAL_ID_EXISTS, EXTERNAL_ID_REPEATED, UNAUTHORIZED
from ...gainsight.operations import DELETE, FETCH_DELETED, QUERY, SAVE
from ..checks import KEY_REFUSAL_CODE
from ..transport.answers import activity_gsid, iso_now, query_body, returned_fields, same_value, stored_fields
from ..transport.calls import Call
from . import scenario_check
from .environment import ScenarioEnv, ScenarioProblem
from .fresh_saves import code_problem, not_saved, outcome, save_fresh
from .needs import Needs

__all__: list[str] = []


@scenario_check(
    "CT201", name="valid-records-accepted", api="timeline", operations={SAVE}, needs=lambda s: Needs(s.examples)
)
def valid_records_accepted(env: ScenarioEnv) -> Iterator[ScenarioProblem]:
    """Records the valid-record strategy makes are saved: each comes back in ``data.success``.

    ## Why
    The strategies encode every rule of the contract; a record they call valid that the tenant refuses
    means the contract (or the tenant) is wrong, and the payload builders tested against it will fail in
    production.
    """

    def probe(payload: dict[str, Any]) -> list[ScenarioProblem]:
        payload = env.with_fresh_ids(payload)
        call = env.call(SAVE, body=payload, check="CT201")
        problems = []
        for record in payload["records"]:
            key = record["ExternalId"]
            if activity_gsid(call, key) is None:
                problems.append(not_saved(env, call, key))
        return problems

    yield from env.explore(env.valid_payloads(), probe)


@scenario_check(
    "CT202",
    name="invalid-records-rejected",
    api="timeline",
    operations={SAVE},
    needs=lambda s: Needs(s.timeline_rules * s.examples),
)
def invalid_records_rejected(env: ScenarioEnv) -> Iterator[ScenarioProblem]:
    """Each record an ``invalid_*`` strategy makes fails, under its key, with its rule's error code.

    ## Why
    Record problems answer HTTP 200 (docs/decisions.md#status-codes-and-record-failures), so the only sign a bad record
    was refused is its entry
    in ``data.failures``. Against the mock the code must be the rule's exact code; against a live tenant
    any documented code counts, since the generic codes are gscontract's inference
    (docs/decisions.md#status-codes-and-record-failures).
    """
    for rule_id, code, strategy in env.invalid_payloads():

        def probe(payload: dict[str, Any], code: str | None = code, rule_id: str = rule_id) -> list[ScenarioProblem]:
            call = env.call(SAVE, body=payload, check="CT202")
            problem = _invalid_payload_problem(env, call, rule_id, code)
            return [env.problem(call, f"{rule_id}: {problem}", code=code)] if problem else []

        yield from env.explore(strategy, probe)


def _invalid_payload_problem(env: ScenarioEnv, call: Call, rule_id: str, code: str | None) -> str | None:
    """What is wrong with the answer to a payload that breaks ``rule_id`` alone, or ``None``.

    Against the mock the failures carry the rule's code and no other (the strategy breaks one rule);
    against a live tenant some record fails, with documented codes (docs/decisions.md#status-codes-and-record-failures).
    """
    data = call.data if isinstance(call.data, dict) else {}
    found = data.get("failures")
    failures: dict[str, Any] = found if isinstance(found, dict) else {}
    codes = {
        item.get("errorCode")
        for items in failures.values()
        if isinstance(items, list)
        for item in items
        if isinstance(item, dict)
    }
    if call.status != 200 or not failures:
        return f"expected a record in data.failures, received HTTP {call.status} {str(call.body)[:200]}"
    if env.strict and code not in codes:
        return f"expected error code {code}, received {sorted(map(str, codes))}"
    if env.strict and codes - {code}:
        others = sorted(map(str, codes - {code}))
        return f"expected only {code} (the payload breaks {rule_id} alone), received also {others}"
    undocumented = sorted(str(c) for c in codes if c not in env.documented_codes)
    if undocumented:
        return f"expected documented error codes, received {undocumented}"
    return None


@scenario_check(
    "CT203",
    name="saved-activity-round-trip",
    api="timeline",
    operations={SAVE, QUERY, DELETE, FETCH_DELETED},
    needs=lambda s: Needs(6),  # save, query, delete, query, fetch deleted; a delete if the first one failed
)
def saved_activity_round_trip(env: ScenarioEnv) -> Iterator[ScenarioProblem]:
    """A saved activity reads back with the fields sent, and after delete is gone and listed as deleted.

    ## Why
    A save that answers success but loses the record, changes its fields, or survives its delete breaks
    every client that reconciles against the tenant. The query API is the only way to see what was kept.
    """
    started = iso_now(-300)
    steps: list[Call] = []
    payload, key, gsid = yield from save_fresh(env, "CT203", steps)
    if gsid is None:
        return
    record = payload["records"][0]
    fields = stored_fields(payload)
    found = env.call(QUERY, body=query_body(key, ["Gsid", *fields]), check="CT203", steps=steps)
    rows = returned_fields(found)
    if len(rows) != 1:
        yield env.problem(
            found, f"expected the saved activity {key!r} to read back once, received {len(rows)} records", steps=steps
        )
        return
    row = {k.lower(): v for k, v in rows[0].items()}
    for field in fields:
        sent, got = record[field], row.get(field.lower(), "<missing>")
        if not same_value(sent, got):
            yield env.problem(found, f"expected {field} {sent!r} as saved, received {got!r}", steps=steps)
    deleted = env.call(DELETE, body=[gsid], check="CT203", steps=steps)
    if not (isinstance(deleted.body, list) and gsid in deleted.body):
        yield env.problem(
            deleted, f"expected the delete to echo [{gsid!r}], received {str(deleted.body)[:200]}", steps=steps
        )
        return
    env.created.discard(gsid)
    again = env.call(QUERY, body=query_body(key, ["Gsid"]), check="CT203", steps=steps)
    if returned_fields(again):
        yield env.problem(
            again, f"expected no activity {key!r} after its delete, received {len(returned_fields(again))}", steps=steps
        )
    window = {"filter": {"dateFilter": {"dateLiteral": "CUSTOM", "values": [started, iso_now(300)]}}}
    listed = env.call(FETCH_DELETED, body=window, check="CT203", steps=steps)
    # The answer is undocumented: a deletion may name the activity as RecordId (Gainsight's deleted-record
    # log, which gscontract's mock answers) or as Gsid (other tenants, and the mock's earlier answer).
    gone = [r for r in returned_fields(listed) if gsid in (r.get("Gsid"), r.get("RecordId"))]
    if not gone:
        yield env.problem(
            listed, f"expected the deleted activity {gsid!r} among the deletions, received none", steps=steps
        )


@scenario_check(
    "CT204",
    name="duplicate-external-id-rejected",
    api="timeline",
    operations={SAVE},
    needs=lambda s: Needs(4),  # save, the same again, a payload repeating an id, one delete
)
def duplicate_external_id_rejected(env: ScenarioEnv) -> Iterator[ScenarioProblem]:
    """Re-sending a saved ExternalId fails with GS_TL_10_0107; repeating one inside a payload with GS_TL_10_0108.

    ## Why
    The ExternalId is the idempotency key of an insert: a client that retries after a timeout relies on
    the tenant refusing the second copy instead of storing the activity twice.
    """
    steps: list[Call] = []
    payload, key, gsid = yield from save_fresh(env, "CT204", steps)
    if gsid is None:
        return
    second = env.call(SAVE, body=payload, check="CT204", steps=steps)
    problem = code_problem(env, second, key, EXTERNAL_ID_EXISTS, exact=True)
    if problem:
        yield env.problem(second, problem, code=EXTERNAL_ID_EXISTS, steps=steps)
    if activity_gsid(second, key) not in (None, gsid):
        yield env.problem(second, f"expected no second activity for {key!r}, received a new activityId", steps=steps)
    twice = env.with_fresh_ids(env.one_valid_payload())
    twice["records"] = [twice["records"][0], dict(twice["records"][0], Subject="second copy")]
    key2 = twice["records"][0]["ExternalId"]
    both = env.call(SAVE, body=twice, check="CT204", steps=[])
    kept = activity_gsid(both, key2)
    if kept is None:
        yield env.problem(
            both, f"expected the first record {key2!r} of the payload kept, received {outcome(both, key2)}"
        )
    else:
        env.created.add(kept)
    problem = code_problem(env, both, key2, EXTERNAL_ID_REPEATED, exact=True)
    if problem:
        yield env.problem(both, problem, code=EXTERNAL_ID_REPEATED)
    yield from env.delete_created("CT204")


@scenario_check(
    "CT207",
    name="no-key-nothing-stored",
    api="timeline",
    operations={SAVE, QUERY},
    needs=lambda s: Needs(5),  # a save and a query without a key, and with a wrong one; a delete if stored
)
def no_key_nothing_stored(env: ScenarioEnv) -> Iterator[ScenarioProblem]:
    """A save without the access key, or with a wrong one, is refused (401) and stores nothing.

    ## Why
    An API that stores data from unauthenticated callers can be written to by anyone; the refusal must
    come before any side effect, not after it. Gainsight's data APIs may refuse a missing or malformed key
    header with 400 ``GSOBJ_1024`` "Invalid authorization headers" instead of 401: that refusal counts too.
    """
    for label, key in (("without a key", None), ("with a wrong key", env.wrong_key)):
        steps: list[Call] = []
        payload = env.with_fresh_ids(env.one_valid_payload())
        ext = payload["records"][0]["ExternalId"]
        refused = env.call(SAVE, body=payload, access_key=key, check="CT207", steps=steps)
        code = refused.body.get("errorCode") if isinstance(refused.body, dict) else None
        if refused.status != 401 and not (refused.status == 400 and code == KEY_REFUSAL_CODE):
            yield env.problem(
                refused,
                f"expected HTTP 401 (or 400 {KEY_REFUSAL_CODE}) for a save {label}, received HTTP {refused.status}",
                steps=steps,
            )
        elif env.strict and refused.status == 401 and code != UNAUTHORIZED:
            yield env.problem(
                refused, f"expected errorCode {UNAUTHORIZED} {label}, received {code!r}", code=code, steps=steps
            )
        stored = env.call(QUERY, body=query_body(ext, ["Gsid"]), check="CT207", steps=steps)
        rows = returned_fields(stored)
        if rows:
            env.created.update(str(r["Gsid"]) for r in rows if r.get("Gsid"))
            yield env.problem(
                stored, f"expected nothing stored by a save {label}, received {len(rows)} activity", steps=steps
            )
    yield from env.delete_created("CT207")
