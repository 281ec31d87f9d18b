"""Helpers the scenario checks share: saving a fresh record, reading a save's answer for one record."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from ...findings import Severity
from ...gainsight.codes import NO_MATCH
from ...gainsight.operations import SAVE
from ..transport.answers import activity_gsid, failure_items
from ..transport.calls import Call
from .environment import ScenarioEnv, ScenarioProblem

__all__ = ["code_problem", "guessed_miss", "lookup_misses_only", "not_saved", "outcome", "outcome_detail", "save_fresh"]


def code_problem(env: ScenarioEnv, call: Call, key: str, expected: str | None, *, exact: bool) -> str | None:
    """What is wrong with the failure filed under ``key``, or ``None`` if it is the one expected.

    ``exact`` demands the expected code even against a live tenant (codes the document itself states);
    otherwise a live tenant may answer with any documented code (docs/decisions.md#status-codes-and-record-failures).
    """
    items = failure_items(call, key)
    if not items:
        return f"expected record {key!r} in data.failures, received {outcome(call, key)}"
    codes = [item.get("errorCode") for item in items if isinstance(item, dict)]
    if (env.strict or exact) and expected is not None:
        if expected not in codes:
            return f"expected error code {expected} for record {key!r}, received {codes or items}"
        return None
    undocumented = [c for c in codes if c not in env.documented_codes]
    if undocumented:
        return f"expected a documented error code for record {key!r}, received {undocumented}"
    return None


def outcome(call: Call, key: str) -> str:
    """What a save's answer says about the record filed under ``key``, when it did not fail."""
    data = call.data if isinstance(call.data, dict) else {}
    if key in (data.get("success") or {}):
        return "a success"
    return f"HTTP {call.status} {str(call.body)[:200]}"


def outcome_detail(call: Call, key: str) -> str:
    """The failures filed under ``key``, or what else the answer says about that record."""
    items = failure_items(call, key)
    return f"failures {items}" if items else outcome(call, key)


def lookup_misses_only(items: Any) -> bool:
    """Whether failure items (a list, or a map of lists) report nothing but lookups that found no record."""
    found = [i for group in items.values() for i in group] if isinstance(items, dict) else items
    if not isinstance(found, list) or not found:
        return False
    return all(isinstance(i, dict) and i.get("errorCode") == NO_MATCH for i in found)


def guessed_miss(env: ScenarioEnv, call: Call, what: str, failures: Any, steps: list[Call] | None) -> ScenarioProblem:
    """A warning that ``what`` was not saved because the tenant lacks the reference data the run guessed."""
    return env.problem(
        call,
        f"{what} not saved: the tenant has none of the users, companies or relationships the run guessed "
        f"({str(failures)[:200]}); pass --tenant FILE with the tenant's reference data to test this",
        code=NO_MATCH,
        steps=steps,
        severity=Severity.WARNING,
    )


def not_saved(env: ScenarioEnv, call: Call, key: str, steps: list[Call] | None = None) -> ScenarioProblem:
    """The problem of a valid record the tenant did not save: an error, or a warning on guessed data."""
    items = failure_items(call, key)
    if env.guessed_data and lookup_misses_only(items):
        return guessed_miss(env, call, f"record {key!r}", items, steps)
    return env.problem(call, f"expected record {key!r} saved, received {outcome_detail(call, key)}", steps=steps)


def save_fresh(
    env: ScenarioEnv, check: str, steps: list[Call]
) -> Generator[ScenarioProblem, None, tuple[dict[str, Any], str, str | None]]:
    """Save one simple valid record with a fresh ExternalId; yield a problem if it is not saved.

    Returns the payload, its ExternalId and the activity id (``None`` when the save failed); a saved
    activity is remembered for deletion at the end of the check.
    """
    payload = env.with_fresh_ids(env.one_valid_payload())
    key = payload["records"][0]["ExternalId"]
    call = env.call(SAVE, body=payload, check=check, steps=steps)
    gsid = activity_gsid(call, key)
    if gsid is None:
        yield not_saved(env, call, key, steps)
    else:
        env.created.add(gsid)
    return payload, key, gsid
