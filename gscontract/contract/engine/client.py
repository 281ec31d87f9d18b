"""The scenario checks' HTTP client: explicit schemathesis cases, sent and validated like generated ones.

A scenario (save, read back, delete, ...) builds each request as a ``Case`` of the operation it calls
(schemathesis' public ``APIOperation.Case``), sends it with ``Case.call`` through the run's guard, and
validates the answer with ``Case.validate_response`` against the response checks the phases use, so a
scenario's requests are checked for status codes, content types and schemas too. Every call is kept
(operation, status, parsed body, curl line) for the reproduction of a failure.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..checks.answered import TENANT_ANSWERS
from ..transport.calls import Call, NotSent
from ..transport.guard import Mark
from .bridge import CheckFailed, RunHooks
from .phases import Failure

__all__ = ["Call", "ScenarioClient"]

_NOT_SET: Any = object()


@dataclass
class ScenarioClient:
    """Sends explicit cases through the run's guard and validates each answer.

    Args:
        schemas: api name -> loaded schemathesis schema (every operation, none excluded).
        hooks: the run's hooks (operation names, check context).
        access_key: sent in the ``accesskey`` header unless a call asks for no key.
        checks: schemathesis check functions every answer is validated with.
        mark_of: the guard's reader of its own marks (a request not sent, or without a usable answer).
    """

    schemas: Mapping[str, Any]
    hooks: RunHooks
    access_key: str
    checks: list[Any]
    mark_of: Callable[[Any], Mark | None] = field(default=lambda headers: None)
    cases: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    ran: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _index: dict[str, Any] = field(default_factory=dict)

    def _operation(self, name: str) -> Any:
        if not self._index:
            for schema in self.schemas.values():
                for methods in schema.values():
                    for operation in methods.values():
                        label = str(operation.label)
                        self._index[self.hooks.operation_names.get(label, label)] = operation
        try:
            return self._index[name]
        except KeyError:
            raise KeyError(f"no operation {name!r} in the loaded specs") from None

    def call(
        self,
        operation: str,
        *,
        body: Any = _NOT_SET,
        path_parameters: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
        access_key: str | Any | None = _NOT_SET,
        check: str | None = None,
        headers: Mapping[str, str] | None = None,
        validate: bool = True,
    ) -> Call:
        """Send one request of ``operation`` (``METHOD /v1/...``) and validate its answer.

        Args:
            operation: the operation's name, as the report names it.
            body: the JSON body (none when not given).
            path_parameters: values of the path's ``{...}`` parameters.
            query: query parameters.
            access_key: the key to send; ``None`` sends none; by default the run's key.
            check: the scenario check making the call, recorded as having run on the operation.
            headers: extra headers.
            validate: run the response checks on the answer (cleanup does not).

        Raises:
            NotSent: the guard refused to send it (budget spent, read-only run, quota, time), or it got no
                usable answer (recorded as a CT107 failure first).
        """
        api_operation = self._operation(operation)
        key = self.access_key if access_key is _NOT_SET else access_key
        sent = dict(headers or {})
        if key is not None:
            sent["accesskey"] = key
        kwargs: dict[str, Any] = {"headers": sent, "path_parameters": dict(path_parameters or {})}
        if body is not _NOT_SET:
            kwargs["body"] = body
            kwargs["media_type"] = "application/json"
        if query:
            kwargs["query"] = dict(query)
        case = api_operation.Case(**kwargs)
        response = case.call()
        mark = self.mark_of(response.headers)
        curl = case.as_curl_command(headers=dict(response.request.headers))
        if mark is not None and mark.failed:
            self._no_answer(operation, mark.reason, curl)
        try:
            parsed = response.json()
        except Exception:  # not JSON: the checks below say so when it matters
            parsed = None
        result = Call(
            operation=operation,
            status=response.status_code,
            body=parsed,
            curl=curl,
            skipped=(f"no usable answer: {mark.reason}" if mark.failed else mark.reason) if mark else None,
        )
        if result.skipped:
            raise NotSent(result)
        if not validate:
            return result
        with self._lock:
            self.cases[operation] += 1
            if check is not None:
                self.ran[operation].add(check)
        self._validate(case, response, operation, curl)
        return result

    def _no_answer(self, operation: str, reason: str, curl: str) -> None:
        """Record that a request of ``operation`` got no usable answer (CT107)."""
        failure = Failure(
            operation=operation,
            check=TENANT_ANSWERS.id,
            phase="scenario",
            title="No usable answer",
            message=reason,
            curl=curl,
            status=None,
        )
        with self._lock:
            self.ran[operation].add(TENANT_ANSWERS.id)
            self.failures.append(failure)

    def _validate(self, case: Any, response: Any, operation: str, curl: str) -> None:
        from schemathesis.core.failures import FailureGroup

        # One check at a time, so each failure is attributed to the check that raised it.
        for check in self.checks:
            with self._lock:
                self.ran[operation].add(check.__name__)
            try:
                case.validate_response(response, checks=[check])
            except FailureGroup as group:
                for failure in group.exceptions:
                    exception = getattr(failure, "exception", None)
                    problems = exception.problems if isinstance(exception, CheckFailed) else ()
                    with self._lock:
                        self.failures.append(
                            Failure(
                                operation=operation,
                                check=check.__name__,
                                phase="scenario",
                                title=str(getattr(failure, "title", "")),
                                message=str(getattr(failure, "message", "")),
                                curl=curl,
                                status=response.status_code,
                                problems=problems,
                            )
                        )
