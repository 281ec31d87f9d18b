"""Turn what a contract run saw into the report's ``contract`` section: one subject per operation.

A failure becomes a :class:`~gscontract.findings.Finding` whose rule is the check's id (CT1xx, CT2xx,
CT3xx), with a message saying what was expected and what came back, the operation, the Gainsight code
when one is concerned, and a reproduction: the (shrunk) request as a redacted curl line. Equal findings
(same check, operation and message) are reported once, with the shortest reproduction.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ... import lint
from ...findings import Finding, Section, SectionName, Severity, Subject
from ...gainsight.operations import by_name
from ...payload.kinds import Kind
from ...redact import MASK, Redactor
from ...rules import Context, Rule, select_rules
from ..checks import CHECKS, CheckKind, ContractCheck, Problem, check_named_by_engine, register
from ..scenarios.environment import ScenarioProblem
from ..transport.no_answer import UNREACHABLE_AFTER
from .phases import Failure, PhaseResult

if TYPE_CHECKING:
    from .cleanup import CleanupReport

__all__ = ["RUN_CHECK", "RunNotes", "check_id_for", "contract_section", "lenient_severity", "note_skips"]

RUN_CHECK = register(
    ContractCheck(
        id="CT100",
        name="run-complete",
        kind=CheckKind.RUN,
        doc="""Every planned test ran: none was cut short by an error, the budget, a quota or a read-only run.

        ## Why
        A contract run that silently skipped part of its plan reports a pass it did not earn. Skips the
        user asked for (read-only, budget, quota) are warnings; errors of the run itself are errors.
        """,
    )
)

_KEY_HEADER = re.compile(r"-H '(accesskey|sharedSecret): " + re.escape(MASK) + "'", re.IGNORECASE)
# The variable a user sets to replay a reproduction, per masked credential header.
_KEY_VARIABLES = {"accesskey": "GAINSIGHT_ACCESS_KEY", "sharedsecret": "GAINSIGHT_SHARED_SECRET"}
_SPACES = re.compile(r"\s+")
# Where schemathesis sends requests in-process (the guard's host), as its messages and curl lines name it.
_IN_PROCESS = re.compile(r"https?://testserver(?::(?:80|443))?")


@dataclass
class RunNotes:
    """What the run could not do, per operation (or ``<run>``), as warnings and errors of CT100."""

    warnings: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    errors: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def note_skips(
    notes: RunNotes,
    *,
    interrupted: bool,
    skipped: Mapping[str, int],
    budget: int | None,
    stage_share: float,
    excluded: Iterable[tuple[str, str]],
    cleanup: CleanupReport | None,
    time_limit: float | None = None,
    unreachable: bool = False,
) -> None:
    """Add to ``notes`` what the run left undone (CT100), from the facts its parts collected.

    They are an interruption, a tenant that stopped answering (``unreachable``), the run's time limit
    (``time_limit``, given when it was reached), the guard's skips, the operations excluded from the
    phases, and what cleanup could not delete. ``skipped`` counts the requests the guard did not send, by
    reason (``budget``, ``stage-share``, ``quota:<group>``, ``retry-after:<group>``, ``time``,
    ``unreachable``); ``excluded`` holds ``(operation, why)`` pairs.
    """
    if interrupted:
        notes.errors["<run>"].append("the run was interrupted; later tests did not run")
    if time_limit is not None:
        unsent = f"; {skipped['time']} requests were not sent" if skipped.get("time") else ""
        notes.warnings["<run>"].append(
            f"the run reached its time limit (--max-duration {time_limit:g} s) and stopped{unsent}; "
            "what it did not reach is noted below"
        )
    if unreachable:
        unsent = f"; {skipped['unreachable']} requests were not sent" if skipped.get("unreachable") else ""
        notes.errors["<run>"].append(
            f"the tenant gave no usable answer to {UNREACHABLE_AFTER} requests in a row, so the run stopped"
            f"{unsent}; the checks it did not reach did not run"
        )
    if skipped.get("budget"):
        notes.warnings["<run>"].append(
            f"the request budget of {budget} was spent; {skipped['budget']} requests were not sent"
        )
    if skipped.get("stage-share"):
        notes.warnings["<run>"].append(
            f"schemathesis' phases stopped at their share ({stage_share:.0%}) of the request budget, "
            "leaving the rest to the scenario checks"
        )
    for reason, count in skipped.items():
        if reason.startswith("quota:"):
            notes.warnings["<run>"].append(f"{count} requests skipped to stay within the {reason[6:]} rate limit")
        elif reason.startswith("retry-after:"):
            notes.warnings["<run>"].append(
                f"{reason[12:]} quota exhausted: the tenant's Retry-After outlasts the run, so {count} requests "
                f"of the {reason[12:]} group were not sent and the checks that needed them did not run"
            )
    for name, why in excluded:
        notes.warnings[name].append(f"not tested by schemathesis: {why}")
    if cleanup is not None:
        if cleanup.left:
            left = ", ".join(sorted(cleanup.left))
            notes.errors["<run>"].append(f"cleanup could not delete {len(cleanup.left)} activities: {left}")
        notes.errors["<run>"].extend(cleanup.problems)


def check_id_for(name: str) -> str | None:
    """Our check id for a schemathesis check name (``not_a_server_error``, ``gainsight_ct101``) or an id."""
    if name in CHECKS:  # a check judged outside schemathesis reports under its own id (CT107)
        return name
    check = check_named_by_engine(name)
    return check.id if check is not None else None


def lenient_severity(check_id: str, body_breaks_limit: bool) -> Severity:
    """Severity of a built-in failure against a live tenant (docs/decisions.md#status-codes-and-record-failures).

    An invalid request the tenant accepts is a warning unless it breaks a documented limit; a valid
    request it refuses is a warning too, since the specs are gscontract's reading of the documents.
    """
    if check_id == "CT306" and not body_breaks_limit:
        return Severity.WARNING
    if check_id == "CT307":
        return Severity.WARNING
    return Severity.ERROR


def breaks_documented_limit(operation: str, body: Any) -> bool:
    """Whether a request breaks a limit Gainsight's documents state, not only our schema.

    See docs/decisions.md#status-codes-and-record-failures.

    The rules judge it: those of the operation's payload kind that the registry marks as breaking a
    documented limit (``Rule.documented_limit``: field lengths, the query's row limit, the mandatory
    ``dateLiteral`` of fetch deleted). The access key and the 80 MB limit are checked by CT308 and never
    generated.
    """
    documented = by_name(operation)
    if documented is None or documented.kind is None:
        return False
    kind = Kind(documented.kind)
    ctx = Context.for_body(body, kind)
    rules = _limit_rules(kind)
    return any(f.severity is Severity.ERROR for f in lint.check(body, rules, ctx))


@functools.cache
def _limit_rules(kind: Kind) -> tuple[Rule, ...]:
    # The registry is filled at import and never changes afterwards: select once per kind.
    return tuple(r for r in select_rules(kind) if r.documented_limit)


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class _Render:
    redactor: Redactor
    display_base: str
    strict: bool

    def curl(self, line: str) -> str:
        # Redacted first: the masked key then becomes a variable the user sets to replay the request.
        line = self.redactor.text(self.addressed(line))
        return _KEY_HEADER.sub(lambda m: f'-H "{m.group(1)}: ${_KEY_VARIABLES[m.group(1).lower()]}"', line)

    def addressed(self, text: str) -> str:
        """``text`` with the in-process address schemathesis uses replaced by the target's base URL."""
        return _IN_PROCESS.sub(self.display_base, text)

    def text(self, message: str) -> str:
        return self.redactor.text(self.addressed(_one_line(message)))

    def finding(self, finding: Finding) -> Finding:
        """``finding`` with its code and operation redacted too (messages and curl lines are made redacted).

        A tenant's ``errorCode`` becomes a finding's code as it was sent, so it may hold anything.
        """
        return replace(
            finding,
            code=self.redactor.text(finding.code) if finding.code is not None else None,
            operation=self.redactor.text(finding.operation) if finding.operation is not None else None,
        )


def _failure_findings(failure: Failure, render: _Render, limit_broken: bool) -> Iterable[Finding]:
    check_id = check_id_for(failure.check)
    if check_id is None:
        return
    check = CHECKS[check_id]
    reproduction = render.curl(failure.curl)
    if failure.problems:
        for problem in failure.problems:
            yield _gainsight_finding(check_id, problem, failure.operation, reproduction, render)
        return
    status = f" (HTTP {failure.status})" if failure.status is not None else ""
    detail = _one_line(failure.message)
    message = f"{failure.title}{status}" + (f": {detail}" if detail else "")
    severity = check.severity if render.strict else lenient_severity(check_id, limit_broken)
    yield Finding(
        rule=check_id,
        severity=severity,
        message=render.text(message),
        operation=failure.operation,
        reproduction=reproduction,
    )


def _gainsight_finding(
    check_id: str, problem: Problem | ScenarioProblem, operation: str, reproduction: str | None, render: _Render
) -> Finding:
    """A finding of one of our checks: its own severity when it has one, else the check's."""
    return Finding(
        rule=check_id,
        severity=problem.severity or CHECKS[check_id].severity,
        message=render.text(problem.message),
        code=problem.code,
        operation=operation,
        reproduction=reproduction,
    )


def _scenario_finding(check_id: str, problem: ScenarioProblem, render: _Render) -> Finding:
    reproduction = "\n".join(render.curl(line) for line in problem.reproduction) or None
    return _gainsight_finding(check_id, problem, problem.operation, reproduction, render)


# Values that differ between otherwise equal findings: the run's ExternalIds, record positions, GSIDs, UUIDs.
_VARYING = re.compile(
    r"gsc-[0-9a-f]{8}-\d+|records\[\d+\]|\b[0-9A-Z]{36}\b|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per check, operation, severity and message, with the shortest reproduction.

    Messages are compared with ids blanked; a schemathesis check's message by its title alone (the rest
    quotes the response, which differs from case to case).
    """
    best: dict[tuple[str, str | None, str, Severity], Finding] = {}
    for finding in findings:
        text = (
            finding.message.split(" (HTTP ")[0] if CHECKS[finding.rule].kind is CheckKind.BUILTIN else finding.message
        )
        key = (finding.rule, finding.operation, _VARYING.sub("<id>", text), finding.severity)
        kept = best.get(key)
        if kept is None or len(finding.reproduction or "") < len(kept.reproduction or ""):
            best[key] = finding
    return list(best.values())


def contract_section(
    *,
    operations: Mapping[str, str],
    phases: Iterable[PhaseResult],
    scenario_cases: Mapping[str, int],
    scenario_ran: Mapping[str, set[str]],
    scenario_failures: Iterable[Failure],
    scenario_problems: Mapping[str, list[ScenarioProblem]],
    notes: RunNotes,
    redactor: Redactor,
    display_base: str,
    strict: bool,
    observed: Iterable[str] = (),
    seconds: Mapping[str, float] | None = None,
) -> Section:
    """The report section of a contract run.

    Args:
        operations: every operation of the specs the run covered, tested or not -> its API's name.
        phases: what schemathesis' phases saw, per spec.
        scenario_cases: requests the scenario checks sent, per operation.
        scenario_ran: check names (schemathesis and ours) that ran on each operation in scenarios.
        scenario_failures: response-check failures seen on the scenarios' requests.
        scenario_problems: problems each scenario check found, by check id.
        notes: warnings and errors of the run itself (CT100).
        redactor: masks secrets in every message and reproduction.
        display_base: the base URL reproductions show.
        strict: the target is gscontract's mock (every deviation is an error).
        observed: statuses and error codes the answers carried (the matrix counts them as exercised).
        seconds: how long each operation's answers took in all (its subject's ``seconds``).
    """
    render = _Render(redactor=redactor, display_base=display_base.rstrip("/"), strict=strict)
    cases: Counter[str] = Counter(scenario_cases)
    ran: dict[str, set[str]] = defaultdict(set)
    findings: dict[str, list[Finding]] = defaultdict(list)
    failures: list[Failure] = list(scenario_failures)
    for result in phases:
        cases.update(result.cases)
        for operation, names in result.checks.items():
            ran[operation].update(names)
        failures.extend(result.failures)
    for operation, names in scenario_ran.items():
        ran[operation].update(names)
    for failure in failures:
        limit = breaks_documented_limit(failure.operation, failure.request_body)
        for finding in _failure_findings(failure, render, limit):
            findings[finding.operation or "<run>"].append(finding)
    for check_id, problems in scenario_problems.items():
        for problem in problems:
            findings[problem.operation].append(_scenario_finding(check_id, problem, render))
    for level, table in ((Severity.WARNING, notes.warnings), (Severity.ERROR, notes.errors)):
        for operation, messages in table.items():
            for message in messages:
                findings[operation].append(
                    Finding(rule=RUN_CHECK.id, severity=level, message=render.text(message), operation=operation)
                )
    subjects = []
    for name in sorted(set(operations) | {op for op, found in findings.items() if found}):
        rules = {RUN_CHECK.id}
        for check_name in ran.get(name, ()):
            ran_id = check_id_for(check_name)
            if ran_id is not None and CHECKS[ran_id].applies_to(name):
                rules.add(ran_id)
        subjects.append(
            Subject(
                name=redactor.text(name),
                kind=operations.get(name, "run"),
                count=cases.get(name, 0),
                rules=tuple(rules),
                findings=tuple(render.finding(f) for f in _dedupe(findings.get(name, []))),
                seconds=(seconds or {}).get(name),
            )
        )
    return Section(name=SectionName.CONTRACT, subjects=tuple(subjects), observed=tuple(sorted(set(observed))))
