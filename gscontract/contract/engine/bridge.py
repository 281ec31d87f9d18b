"""Where gscontract plugs into schemathesis through its public extension points.

Our response checks (CT1xx) are registered with ``@schemathesis.check``; the ExternalId prefix of a live
run is a ``before_call`` hook. Both are global in schemathesis, so each finds the run a case belongs to
through the case's ASGI app (the run's guard, which carries :class:`RunHooks`); cases of other
schemathesis users in the same process have none, and are left alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import schemathesis

from ...gainsight.operations import for_request
from ...payload.kinds import Kind
from ..checks import CheckContext, ContractCheck, Exchange, Problem, response_checks

__all__ = [
    "CheckFailed",
    "RunHooks",
    "exchange_from",
    "operation_name",
    "register_with_schemathesis",
    "response_check_functions",
]


class CheckFailed(AssertionError):
    """Raised by a Gainsight response check inside schemathesis; carries the problems it found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in self.problems))


@dataclass(frozen=True, slots=True)
class RunHooks:
    """What the checks and hooks registered with schemathesis need to know about the current run.

    It hangs on the run's ASGI app (``app.gsc_hooks``), which is how a globally registered check finds
    the run a case belongs to; cases of other schemathesis users in the same process have no hooks.
    """

    context: CheckContext
    prefix: str | None = None
    """ExternalId prefix of records created in a live run (cleanup finds them by it); ``None`` on the mock."""
    operation_names: Mapping[str, str] = field(default_factory=dict)
    """schemathesis label (``POST /events``) -> our operation name (``POST /v1/events``)."""


def exchange_from(case: Any, response: Any, operation: str) -> Exchange:
    """An :class:`Exchange` from a schemathesis case and its response."""
    body: Any = getattr(case, "body", None)
    if not isinstance(body, dict | list | str | int | float | bool) or body is None:
        body = None
    try:
        answer = response.json()
    except Exception:  # any decoding problem means "not JSON" to a check
        answer = None
    headers = {str(k).lower(): (v[0] if isinstance(v, list) and v else str(v)) for k, v in response.headers.items()}
    request_headers = {str(k).lower(): str(v) for k, v in (case.headers or {}).items()}
    return Exchange(
        operation=operation,
        path=case.formatted_path,
        status=response.status_code,
        request_body=body,
        body=answer,
        headers=headers,
        request_headers=request_headers,
        query=dict(case.query or {}),
    )


def _hooks_of(case: Any) -> RunHooks | None:
    hooks = getattr(getattr(case.operation, "app", None), "gsc_hooks", None)
    return hooks if isinstance(hooks, RunHooks) else None


def operation_name(case: Any, hooks: RunHooks) -> str:
    """Our name of a case's operation (``POST /v1/events`` for schemathesis' ``POST /events``)."""
    label = str(case.operation.label)
    return hooks.operation_names.get(label, label)


def _wrapper(check: ContractCheck) -> Callable[..., None]:
    func = check.func
    assert func is not None

    def run(ctx: Any, response: Any, case: Any) -> None:
        hooks = _hooks_of(case)
        if hooks is None:
            return
        operation = operation_name(case, hooks)
        if not check.applies_to(operation):
            return
        problems = list(func(exchange_from(case, response, operation), hooks.context))
        if problems:
            raise CheckFailed(problems)

    run.__name__ = check.engine_name
    run.__doc__ = check.doc
    return run


_REGISTERED: set[str] = set()
_REGISTER_LOCK = threading.Lock()


def register_with_schemathesis() -> None:
    """Hand our response checks and the prefix hook to schemathesis, once per process."""
    with _REGISTER_LOCK:
        for check in response_checks():
            if check.id not in _REGISTERED and check.func is not None:
                schemathesis.check(_wrapper(check))
                _REGISTERED.add(check.id)
        if "before_call" not in _REGISTERED:
            schemathesis.hook("before_call")(_prefix_external_ids)
            _REGISTERED.add("before_call")


_SAVES = frozenset({Kind.TIMELINE_INSERT, Kind.TIMELINE_UPDATE})


def _prefix_external_ids(context: Any, case: Any, kwargs: Any) -> None:
    """Give every ExternalId a live run sends its prefix, so cleanup can find what the run created."""
    hooks = _hooks_of(case)
    if hooks is None or hooks.prefix is None:
        return
    documented = for_request(case.method, case.operation.path)
    if documented is None or documented.kind not in _SAVES or not isinstance(case.body, dict):
        return
    records = case.body.get("records")
    # Generated bodies may hold anything under "records" (true, 5, a string): only a list has records.
    for record in records if isinstance(records, list) else ():
        external_id = record.get("ExternalId") if isinstance(record, dict) else None
        # A blank id stays blank: the record is refused for it (GS_TL_10_0202) and never stored, and a
        # prefix would turn CT202's missing-ExternalId payload into a valid, stored one.
        if isinstance(external_id, str) and external_id.strip() and not external_id.startswith(hooks.prefix):
            # "x-" keeps these apart from the scenarios' ids (the prefix and a number) whatever was generated.
            record["ExternalId"] = f"{hooks.prefix}x-{external_id}"


def response_check_functions(names: Iterable[str]) -> list[Any]:
    """Schemathesis' registered check functions of these names (built-in and ours), in registry order."""
    from schemathesis.checks import CHECKS as REGISTRY
    from schemathesis.checks import load_all_checks

    register_with_schemathesis()
    load_all_checks()
    wanted = set(names)
    return [check for check in REGISTRY.get_all() if getattr(check, "__name__", "") in wanted]
