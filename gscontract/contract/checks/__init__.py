"""The contract checks' registry: every check a contract run applies, with an id, a name and a doc.

======  =====================================================================================
CT100   the run itself: what it could not do (:mod:`gscontract.contract.engine.results`)
CT1xx   Gainsight checks over one request and its response (:mod:`gscontract.contract.checks.responses`)
CT107   whether the tenant answered at all, judged by the guard (:mod:`gscontract.contract.checks.answered`)
CT2xx   Gainsight scenario checks that chain requests (:mod:`gscontract.contract.scenarios`)
CT3xx   schemathesis' built-in checks the run enables (:mod:`gscontract.contract.checks.builtin`)
======  =====================================================================================

A response check is a pure function of an :class:`Exchange` (one request and its response, parsed) and a
:class:`CheckContext`; it yields :class:`Problem` values and never does I/O. The runner hands the same
functions to schemathesis (as ``@schemathesis.check`` functions) so they run on every response of every
phase, and the unit tests call them directly. Names are kebab-case; the doc's first line is the summary
and a ``## Why`` part says what breaks for a client when the check fails.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ...errors import RegistryError
from ...findings import Severity
from ...gainsight.codes import INVALID_AUTH_HEADERS
from ...registry import Registry, summary_of

__all__ = [
    "CHECKS",
    "JOB_STATES",
    "KEY_REFUSAL_CODE",
    "TERMINAL_STATES",
    "CheckContext",
    "CheckKind",
    "ContractCheck",
    "Exchange",
    "Problem",
    "check_named_by_engine",
    "get_check",
    "register",
    "response_check",
    "response_checks",
]

JOB_STATES = frozenset({"COMPLETED", "INPROGRESS", "IN_PROGRESS", "SUBMITTED", "ABORTED", "FAILED", "NOT_STARTED"})
TERMINAL_STATES = frozenset({"COMPLETED", "ABORTED", "FAILED"})
KEY_REFUSAL_CODE = INVALID_AUTH_HEADERS
"""The code of Gainsight's data APIs' 400 "Invalid authorization headers": a refused key, like a 401."""


class CheckKind(enum.StrEnum):
    """How a check gets its input."""

    RESPONSE = "response"
    """A pure function of one exchange, run on every response."""
    SCENARIO = "scenario"
    """A sequence of requests the check makes itself."""
    RUN = "run"
    """The run itself: what it could not do."""
    BUILTIN = "builtin"
    """One of schemathesis' own checks."""
    TRANSPORT = "transport"
    """Whether the tenant answered at all, judged by the run's guard on each request it forwards."""


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and its response, parsed: what a response check reads.

    ``operation`` is ``METHOD /path/template`` as the spec writes it (``GET /v1/ant/es/job/status/{jobId}``);
    ``path`` is the path that was called. Header names are lower-case. ``request_body`` and ``body`` are the
    parsed JSON bodies, or ``None`` when absent or not JSON.
    """

    operation: str
    path: str
    status: int
    request_body: Any = None
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    request_headers: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What a check may know besides the exchange.

    ``strict`` is true against gscontract's own mock (every deviation is an error) and false against a
    live tenant (docs/decisions.md#status-codes-and-record-failures: some deviations are warnings). ``documented_codes``
    are the error codes the
    specs document.
    """

    strict: bool = True
    documented_codes: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Problem:
    """What a check yields: a message saying what was expected and what came back.

    ``severity`` overrides the check's own (a lenient live run downgrades some problems to warnings);
    ``code`` is the Gainsight error code concerned, when one is.
    """

    message: str
    code: str | None = None
    severity: Severity | None = None


ResponseFunc = Callable[[Exchange, CheckContext], Iterable[Problem]]


@dataclass(frozen=True, slots=True)
class ContractCheck:
    """A registered check: identity, documentation and, for response checks, the function."""

    id: str
    name: str
    kind: CheckKind
    doc: str
    severity: Severity = Severity.ERROR
    operations: frozenset[str] = frozenset()
    """Operations the check applies to (``METHOD /path``); empty means every operation."""
    needs_writes: bool = False
    func: Callable[..., Any] | None = field(default=None, repr=False, compare=False)
    engine_name: str = ""
    """The check's name inside schemathesis, for checks that run there (built-in and response checks).

    Failures come back from schemathesis under this name; :func:`check_named_by_engine` maps it back to the
    check, so no id is ever parsed out of a name."""

    @property
    def summary(self) -> str:
        """The first line of the doc: what the check verifies."""
        return summary_of(self.doc)

    def applies_to(self, operation: str) -> bool:
        """Whether the check looks at responses of ``operation``."""
        return not self.operations or operation in self.operations


_REGISTRY: Registry[ContractCheck] = Registry(noun="check", families=("CT",), example="CT101")
CHECKS: dict[str, ContractCheck] = _REGISTRY.entries
F = TypeVar("F", bound=Callable[..., Any])


_BY_ENGINE_NAME: dict[str, ContractCheck] = {}


def register(check: ContractCheck) -> ContractCheck:
    """Add a check to :data:`CHECKS`.

    Raises:
        RegistryError: the id or name is malformed or taken, the doc is empty, or the engine name is taken.
    """
    if check.engine_name and check.engine_name in _BY_ENGINE_NAME:
        raise RegistryError(f"check {check.id}: schemathesis name {check.engine_name!r} is taken")
    added = _REGISTRY.add(check)
    if check.engine_name:
        _BY_ENGINE_NAME[check.engine_name] = added
    return added


def check_named_by_engine(name: str) -> ContractCheck | None:
    """The registered check that schemathesis knows as ``name``, if any."""
    return _BY_ENGINE_NAME.get(name)


def get_check(key: str) -> ContractCheck:
    """A check by id or name (case-insensitive).

    Raises:
        RegistryError: no such check.
    """
    return _REGISTRY.get(key)


def response_check(
    check_id: str, *, name: str, operations: Iterable[str] = (), severity: Severity = Severity.ERROR
) -> Callable[[F], F]:
    """Register the decorated ``(exchange, ctx) -> Iterable[Problem]`` function as a response check."""

    def decorate(func: F) -> F:
        register(
            ContractCheck(
                id=check_id,
                name=name,
                kind=CheckKind.RESPONSE,
                doc=func.__doc__ or "",
                severity=severity,
                operations=frozenset(operations),
                func=func,
                engine_name=f"gainsight_{check_id.lower()}",
            )
        )
        return func

    return decorate


def response_checks() -> list[ContractCheck]:
    """The registered response checks, by id."""
    return [c for _, c in sorted(CHECKS.items()) if c.kind is CheckKind.RESPONSE]
