"""From what a run saw to the report's contract section: ids, severities, messages, reproductions."""

from __future__ import annotations

from collections import Counter, defaultdict

from gscontract.contract import CHECKS  # noqa: F401 - registers every check
from gscontract.contract.checks import Problem
from gscontract.contract.engine.phases import Failure, PhaseResult
from gscontract.contract.engine.results import (
    RunNotes,
    breaks_documented_limit,
    check_id_for,
    contract_section,
    lenient_severity,
)
from gscontract.contract.scenarios.environment import ScenarioProblem
from gscontract.findings import SectionName, Severity
from gscontract.redact import Redactor

KEY = "sekrit-key-for-results"
SAVE = "POST /v1/ant/es/activity"
CURL = (
    "curl -X POST -H 'accesskey: [REDACTED]' -H 'Content-Type: application/json' "
    f'-d \'{{"Author": "a@b.co", "k": "{KEY}"}}\' http://testserver/v1/ant/es/activity'
)


def section(**kwargs: object) -> dict[str, object]:
    base: dict[str, object] = {
        "operations": {SAVE: "timeline", "GET /v1/events/types": "events"},
        "phases": [],
        "scenario_cases": {},
        "scenario_ran": {},
        "scenario_failures": [],
        "scenario_problems": {},
        "notes": RunNotes(),
        "redactor": Redactor(secrets=(KEY,)),
        "display_base": "https://tenant.example.com/",
        "strict": True,
    }
    base.update(kwargs)
    return base


def test_check_ids_from_schemathesis_names() -> None:
    assert check_id_for("not_a_server_error") == "CT301"
    assert check_id_for("gainsight_ct105") == "CT105"
    assert check_id_for("gainsight_ct999") is None
    assert check_id_for("object_level_authorization") is None


def test_lenient_severity_follows_decisions() -> None:
    assert lenient_severity("CT306", body_breaks_limit=False) is Severity.WARNING
    assert lenient_severity("CT306", body_breaks_limit=True) is Severity.ERROR
    assert lenient_severity("CT307", body_breaks_limit=False) is Severity.WARNING
    assert lenient_severity("CT301", body_breaks_limit=False) is Severity.ERROR


def test_documented_limits() -> None:
    query, deleted = "POST /v1/data/objects/query/activity_timeline", "POST /v1/ant/es/activity/deleted"
    assert breaks_documented_limit(query, {"select": ["Gsid"], "limit": 5001})
    assert not breaks_documented_limit(query, {"select": ["Gsid"], "limit": 5000})
    assert not breaks_documented_limit(query, {"select": 3})  # breaks our schema, not a documented limit
    assert breaks_documented_limit(deleted, {"filter": {"dateFilter": {"values": []}}})
    assert not breaks_documented_limit(deleted, {"filter": {"dateFilter": {"dateLiteral": "X"}}})
    assert breaks_documented_limit(SAVE, {"records": [{"Subject": "s" * 256}]})
    assert not breaks_documented_limit(SAVE, {"records": [{"Subject": "s" * 255}, 3]})
    assert not breaks_documented_limit(SAVE, [1, 2])


def test_accepted_invalid_request_breaking_a_documented_limit_stays_an_error() -> None:
    failure = Failure(
        "POST /v1/data/objects/query/activity_timeline",
        "negative_data_rejection",
        "fuzzing",
        "Schema-violating request accepted",
        "",
        CURL,
        200,
        request_body={"select": ["Gsid"], "limit": 9999},
    )
    built = contract_section(**section(phases=[PhaseResult(failures=[failure])], strict=False))
    (finding,) = next(s for s in built.subjects if s.name == failure.operation).findings
    assert finding.severity is Severity.ERROR


def test_a_refused_valid_request_is_an_error_on_the_mock_and_a_warning_on_a_tenant() -> None:
    # docs/decisions.md#status-codes-and-record-failures: against our mock the spec and the mock must agree; a live
    # tenant may be stricter.
    failure = Failure(
        "DELETE /v1/ant/es/activity",
        "positive_data_acceptance",
        "fuzzing",
        "Schema-valid request rejected",
        "Valid data should have been accepted",
        CURL,
        400,
        request_body=["1I004SG7RDV06L1HFJQV0XO6SLZAD1TEXL4E"],
    )
    severities = []
    for strict in (True, False):
        built = contract_section(**section(phases=[PhaseResult(failures=[failure])], strict=strict))
        (finding,) = next(s for s in built.subjects if s.name == failure.operation).findings
        assert finding.rule == "CT307"
        severities.append(finding.severity)
    assert severities == [Severity.ERROR, Severity.WARNING]


def test_every_operation_is_a_subject_with_its_cases_and_checks() -> None:
    phases = PhaseResult(cases=Counter({SAVE: 7}))
    phases.checks[SAVE].update({"not_a_server_error", "gainsight_ct101", "gainsight_ct103"})
    built = contract_section(**section(phases=[phases], scenario_cases={SAVE: 2}, scenario_ran={SAVE: {"CT201"}}))
    assert built.name is SectionName.CONTRACT
    save = next(s for s in built.subjects if s.name == SAVE)
    assert save.kind == "timeline"
    assert save.count == 9
    # CT103 ran (schemathesis calls every check) but does not apply to saves, so it is not listed.
    assert save.rules == ("CT100", "CT101", "CT201", "CT301")
    assert [s.name for s in built.subjects] == ["GET /v1/events/types", SAVE]


def test_failures_become_redacted_findings_with_a_replayable_curl_line() -> None:
    failure = Failure(SAVE, "not_a_server_error", "fuzzing", "Server error", f"boom {KEY}", CURL, 500)
    built = contract_section(**section(phases=[PhaseResult(failures=[failure, failure])]))
    (finding,) = next(s for s in built.subjects if s.name == SAVE).findings
    assert finding.rule == "CT301"
    assert finding.severity is Severity.ERROR
    assert finding.message == "Server error (HTTP 500): boom [REDACTED]"
    assert finding.operation == SAVE
    assert finding.reproduction is not None
    assert KEY not in finding.reproduction
    assert "a@b.co" not in finding.reproduction
    assert '-H "accesskey: $GAINSIGHT_ACCESS_KEY"' in finding.reproduction
    assert finding.reproduction.endswith("https://tenant.example.com/v1/ant/es/activity")


def test_gainsight_problems_keep_their_code_and_severity() -> None:
    problems = (
        Problem("expected a documented error code, received 'X'", code="X"),
        Problem("soft", severity=Severity.WARNING),
    )
    failure = Failure(SAVE, "gainsight_ct105", "examples", "Custom", "", CURL, 200, problems)
    findings = next(
        s for s in contract_section(**section(phases=[PhaseResult(failures=[failure])])).subjects if s.name == SAVE
    ).findings
    assert {(f.rule, f.code, f.severity) for f in findings} == {
        ("CT105", "X", Severity.ERROR),
        ("CT105", None, Severity.WARNING),
    }


def test_lenient_runs_downgrade_accepted_invalid_requests() -> None:
    failure = Failure(SAVE, "negative_data_rejection", "coverage", "Schema-violating request accepted", "", CURL, 200)
    built = contract_section(**section(phases=[PhaseResult(failures=[failure])], strict=False))
    (finding,) = next(s for s in built.subjects if s.name == SAVE).findings
    assert finding.severity is Severity.WARNING


def test_equal_findings_keep_the_shortest_reproduction() -> None:
    long = ScenarioProblem(SAVE, "expected record 'gsc-0a1b2c3d-7' saved", ("curl A" * 20,))
    short = ScenarioProblem(SAVE, "expected record 'gsc-0a1b2c3d-9' saved", ("curl B",))
    built = contract_section(**section(scenario_problems={"CT201": [long, short]}))
    (finding,) = next(s for s in built.subjects if s.name == SAVE).findings
    assert finding.reproduction == "curl B"


def test_run_notes_are_ct100_findings() -> None:
    notes = RunNotes(
        warnings=defaultdict(list, {SAVE: ["not tested: read-only"]}),
        errors=defaultdict(list, {"<run>": ["interrupted"]}),
    )
    built = contract_section(**section(notes=notes))
    run = next(s for s in built.subjects if s.name == "<run>")
    assert [(f.rule, f.severity, f.message) for f in run.findings] == [("CT100", Severity.ERROR, "interrupted")]
    save = next(s for s in built.subjects if s.name == SAVE)
    assert [(f.rule, f.severity) for f in save.findings] == [("CT100", Severity.WARNING)]
