"""Run schemathesis' test phases over one spec and collect what every check saw.

schemathesis 4 offers public pieces for single cases (``from_asgi``, ``Case.call``, ``validate_response``,
``@schemathesis.check``, hooks, ``Config.from_dict``) but no public entry point that runs its examples,
coverage, fuzzing and stateful phases outside its own CLI and pytest plugin. Its CLI drives
``schemathesis.engine.from_schema(schema).execute()`` and reads the events it yields; this module does the
same, and is the only module of gscontract that touches the engine, its events and its scenario recorder
(the other internal piece, schemathesis' check registry, is read by ``bridge.response_check_functions``).
``tests/contract/test_schemathesis_pins.py`` fails loudly if any of them moves (behaviour pinned to 4.32).

Everything else goes through the public API: the configuration is schemathesis' documented TOML keys
(``Config.from_dict``), and our checks and hooks are registered by :mod:`gscontract.contract.engine.bridge`.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import jsonschema_rs
import schemathesis
from schemathesis.engine import events as st_events
from schemathesis.engine import from_schema

from ...errors import SpecError
from ...redact import DEFAULT_SECRET_HEADERS, MASK
from ...specfiles import load_spec
from ..checks import Problem, response_checks
from ..checks.answered import TENANT_ANSWERS
from ..transport.guard import Mark
from .bridge import CheckFailed, RunHooks, operation_name, register_with_schemathesis

__all__ = [
    "PHASES",
    "Failure",
    "PhaseResult",
    "PhaseRun",
    "PhaseSettings",
    "body_breaks_schema",
    "build_config",
    "load_schema",
    "shutdown_apps",
]

PHASES = ("examples", "coverage", "fuzzing", "stateful")
# Name parts that make a header or field secret to schemathesis' sanitizer. Its defaults include "auth"
# and "key", which would mask Gainsight's Author and AuthorId (and their lookups) in every reproduction.
_SENSITIVE_MARKERS = ("token", "secret", "password", "passwd", "credential", "session", "accesskey", "apikey")
SPEC_ROUTE = "/__gscontract__/openapi/{name}.yaml"


@dataclass(frozen=True, slots=True)
class PhaseSettings:
    """How to run the phases: schemathesis' knobs, as the runner chose them."""

    phases: tuple[str, ...] = PHASES
    max_examples: int = 10
    workers: int = 2
    seed: int = 0
    stateful_steps: int = 10
    checks: tuple[str, ...] = ()
    """schemathesis names of the built-in checks to enable."""
    negative_off: tuple[str, ...] = ()
    """operationIds whose negative_data_rejection check is off (saves and updates,
    docs/decisions.md#status-codes-and-record-failures)."""
    coverage_off: tuple[str, ...] = ()
    """operationIds the coverage phase skips (their schema is covered through another operation)."""
    positive_off: tuple[str, ...] = ()
    """operationIds whose positive_data_acceptance check is off: a schema-valid request is not enough for
    them to be accepted (the Events Framework needs a registered event; its scenarios check acceptance)."""
    exclude: tuple[str, ...] = ()
    """operationIds not to test at all (writes of a read-only run, bulk against a live tenant)."""
    api_key: str | None = None
    """Sent through every apiKey security scheme of the spec, so schemathesis knows it is the credential."""
    scheme_keys: tuple[tuple[str, str], ...] = ()
    """(security scheme, value) for the schemes that take another value than ``api_key`` (the Events
    Framework's ``sharedSecret`` and ``tenantId``)."""
    secret_keys: tuple[str, ...] = DEFAULT_SECRET_HEADERS
    """Header and field names schemathesis masks in the reproductions it writes."""
    base_url: str = "http://testserver"
    request_timeout: float = 30.0
    """schemathesis' own timeout of a call to the guard: only a backstop, since the guard bounds each
    request itself and a call includes its wait for a rate-limit slot, which must never count."""
    shrink: bool = True
    """Shrink failing cases to a minimal reproduction (off against a live tenant: it costs requests)."""


@dataclass(frozen=True, slots=True)
class Failure:
    """One check's failure on one case, as the runner turns it into a finding."""

    operation: str
    check: str
    """schemathesis' check name (``not_a_server_error``), our wrapper's (``gainsight_ct101``), or the id of a
    check judged outside schemathesis (``CT107``)."""
    phase: str
    title: str
    message: str
    curl: str
    status: int | None
    problems: tuple[Problem, ...] = ()
    request_body: Any = None
    """The body the failing request sent (parsed), when it had one."""


@dataclass
class PhaseResult:
    """What the phases did: cases per operation, checks run per operation, failures and errors."""

    cases: Counter[str] = field(default_factory=Counter)
    checks: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    failures: list[Failure] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    interrupted: bool = False


def build_config(settings: PhaseSettings, schemes: Iterable[str] = ()) -> Any:
    """A schemathesis configuration from :class:`PhaseSettings`, in schemathesis' documented TOML keys.

    ``schemes`` are the spec's apiKey security schemes; each gets its value of ``scheme_keys``, else the
    access key.
    """
    enabled = {name: {"enabled": True} for name in settings.checks}
    enabled.update({c.engine_name: {"enabled": True} for c in response_checks()})
    data: dict[str, Any] = {
        "seed": settings.seed,
        "workers": settings.workers,
        "base-url": settings.base_url,
        "request-timeout": settings.request_timeout,
        "cache": {"enabled": False},
        "suppress-health-check": ["all"],
        # schemathesis masks keys that merely contain "auth" (Author, AuthorId) by default, which spoils
        # reproductions; mask exactly the secret headers and fields, and let gscontract.redact do the rest.
        "output": {
            "sanitization": {
                "enabled": True,
                "keys-to-sanitize": list(settings.secret_keys),
                "sensitive-markers": list(_SENSITIVE_MARKERS),
                "replacement": MASK,
            }
        },
        "generation": {"max-examples": settings.max_examples, "database": "none", "no-shrink": not settings.shrink},
        "checks": {"enabled": False, **enabled},
        "phases": {name: {"enabled": name in settings.phases} for name in PHASES},
        # Record-level problems of these answer 200 with failures (docs/decisions.md#status-codes-and-record-failures):
        # schemathesis' negative
        # check does not apply, and negative coverage cases of a record envelope (hundreds of them) only
        # repeat, slowly, what the invalid-record scenario (CT202) checks precisely.
        # Their bodies are also the slowest to generate (about 0.1 s each), so they get half the fuzzing
        # examples; the scenarios cover records with the faster strategies of gscontract.strategies.
        "operations": [
            {
                "include-operation-id": op,
                "checks": {"negative_data_rejection": {"enabled": False}},
                "phases": {
                    "coverage": {"generation": {"mode": "positive"}},
                    "fuzzing": {"generation": {"max-examples": max(1, settings.max_examples // 2)}},
                },
            }
            for op in settings.negative_off
        ]
        + [
            {"include-operation-id": op, "checks": {"positive_data_acceptance": {"enabled": False}}}
            for op in settings.positive_off
        ]
        + [{"include-operation-id": op, "phases": {"coverage": {"enabled": False}}} for op in settings.coverage_off],
    }
    data["phases"]["stateful"]["max-steps"] = settings.stateful_steps
    # Each stateful scenario chains several operations, so half the examples cover as many calls.
    data["phases"]["stateful"]["generation"] = {"max-examples": max(1, settings.max_examples // 2)}
    own = dict(settings.scheme_keys)
    values = {scheme: own.get(scheme, settings.api_key) for scheme in schemes}
    if any(v is not None for v in values.values()):
        data["auth"] = {"openapi": {scheme: {"api_key": v} for scheme, v in values.items() if v is not None}}
    return schemathesis.Config.from_dict(data)


def load_schema(name: str, app: Any, settings: PhaseSettings) -> Any:
    """Load the bundled spec ``name`` through ``app`` (which serves it at :data:`SPEC_ROUTE`).

    Raises:
        SpecError: schemathesis cannot load the spec.
    """
    register_with_schemathesis()
    schemes = [
        scheme
        for scheme, definition in load_spec(name).get("components", {}).get("securitySchemes", {}).items()
        if isinstance(definition, dict) and definition.get("type") == "apiKey"
    ]
    schema: Any
    try:
        config = build_config(settings, schemes)
        schema = schemathesis.openapi.from_asgi(SPEC_ROUTE.format(name=name), app, config=config)
    except Exception as exc:  # schemathesis raises several loader error types; all mean "cannot load"
        raise SpecError(f"the {name} spec cannot be loaded by schemathesis: {exc}") from None
    if settings.exclude:
        schema = schema.exclude(operation_id=list(settings.exclude))
    return schema


class PhaseRun:
    """One pass of schemathesis' phases over a schema; :meth:`stop` ends it early (budget or time spent).

    ``mark_of`` is the guard's reader of its own marks on answers it made itself: a case whose request
    was not sent is left out, and one whose request got no usable answer is a CT107 failure, not a case.
    """

    def __init__(self, schema: Any, hooks: RunHooks, mark_of: Callable[[Any], Mark | None] | None = None) -> None:
        self.schema = schema
        self.hooks = hooks
        self.mark_of = mark_of or (lambda headers: None)
        self._stream: Any = None
        self._stopped = threading.Event()

    def stop(self) -> None:
        """Stop at the next event; the phases still report what they did so far."""
        self._stopped.set()
        if self._stream is not None:
            self._stream.stop()

    def execute(self, *, on_progress: Callable[[str], None] | None = None) -> PhaseResult:
        """Run every enabled phase and return what the checks saw."""
        result = PhaseResult()
        if self._stopped.is_set():
            return result
        self._stream = from_schema(self.schema).execute()
        if self._stopped.is_set():
            self._stream.stop()
        for event in self._stream:
            if isinstance(event, st_events.ScenarioFinished):
                self._harvest(event, result)
            elif isinstance(event, st_events.NonFatalError):
                result.errors.append((event.label, str(event.info)))
            elif isinstance(event, st_events.FatalError):
                result.errors.append(("<run>", f"{type(event.exception).__name__}: {event.exception}"))
            elif isinstance(event, st_events.Interrupted):
                # The engine reports our own stop() (budget spent) as an interruption too; only Ctrl-C is one.
                result.interrupted = result.interrupted or not self._stopped.is_set()
            elif isinstance(event, st_events.PhaseFinished) and on_progress is not None:
                on_progress(event.phase.name.value)
        return result

    def _harvest(self, event: Any, result: PhaseResult) -> None:
        recorder = event.recorder
        phase = event.phase.value
        skipped: set[str] = set()
        for case_id, interaction in recorder.interactions.items():
            response = interaction.response
            mark = self.mark_of(response.headers) if response is not None else None
            if mark is None:
                continue
            skipped.add(case_id)
            node = recorder.cases.get(case_id)
            if mark.failed and node is not None:
                result.failures.append(_no_answer(node.value, interaction, mark, phase, self.hooks))
                result.checks[operation_name(node.value, self.hooks)].add(TENANT_ANSWERS.id)
        for case_id, node in recorder.cases.items():
            if case_id in skipped or case_id not in recorder.interactions:
                continue
            result.cases[operation_name(node.value, self.hooks)] += 1
        for case_id, nodes in recorder.checks.items():
            if case_id in skipped or case_id not in recorder.cases:
                continue
            case = recorder.cases[case_id].value
            operation = operation_name(case, self.hooks)
            interaction = recorder.interactions.get(case_id)
            status = interaction.response.status_code if interaction and interaction.response else None
            for node in nodes:
                result.checks[operation].add(node.name)
                info = node.failure_info
                if info is None or (node.name == "positive_data_acceptance" and body_breaks_schema(case)):
                    continue
                failure = info.failure
                exception = getattr(failure, "exception", None)
                problems = exception.problems if isinstance(exception, CheckFailed) else ()
                result.failures.append(
                    Failure(
                        operation=operation,
                        check=node.name,
                        phase=phase,
                        title=str(failure.title),
                        message=str(failure.message),
                        curl=str(info.code_sample),
                        status=status,
                        problems=problems,
                        request_body=_body_of(case),
                    )
                )


def _no_answer(case: Any, interaction: Any, mark: Mark, phase: str, hooks: RunHooks) -> Failure:
    """The CT107 failure of a case whose request got no usable answer."""
    headers = {k: v[0] if isinstance(v, list) and v else v for k, v in interaction.request.headers.items()}
    return Failure(
        operation=operation_name(case, hooks),
        check=TENANT_ANSWERS.id,
        phase=phase,
        title="No usable answer",
        message=mark.reason,
        curl=str(case.as_curl_command(headers=headers)),
        status=None,
        request_body=_body_of(case),
    )


def body_breaks_schema(case: Any) -> bool:
    """Whether a "positive" case's JSON body breaks its operation's request schema after all.

    schemathesis keeps a stateful step positive when a link puts a value from an earlier request into its
    body (schemathesis issue #2983): a save whose ExternalId was a generated object makes the query link
    send that object as a condition value. Refusing such a request is right, so it is no CT307 finding.
    """
    body = _body_of(case)
    operation = case.operation
    document = operation.schema.raw_schema
    request = document.get("paths", {}).get(operation.path, {}).get(operation.method.lower(), {})
    if body is None or "application/json" not in request.get("requestBody", {}).get("content", {}):
        return False
    base = "urn:gscontract:contract-spec"
    # A path template's braces are not allowed in a URI fragment: percent-encode them.
    path = quote(operation.path.replace("~", "~0").replace("/", "~1"), safe="~")
    pointer = f"#/paths/{path}/{operation.method.lower()}/requestBody/content/application~1json/schema"
    validator = jsonschema_rs.Draft202012Validator(
        {"$ref": base + pointer}, registry=jsonschema_rs.Registry([(base, document)]), validate_formats=True
    )
    return not validator.is_valid(body)


def _body_of(case: Any) -> Any:
    body = getattr(case, "body", None)
    return body if isinstance(body, dict | list) else None


def shutdown_apps() -> None:
    """End the lifespans of the ASGI apps schemathesis started (the embedded mock's job runner, database)."""
    from schemathesis.python import asgi

    asgi.shutdown_lifespans()
