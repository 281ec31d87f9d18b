"""The three bundled specs: valid, loadable by schemathesis, complete, generatable and linked."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from openapi_spec_validator import validate

from gscontract.specfiles import SPEC_NAMES, load_spec, spec_path

TIMELINE_OPERATIONS = {
    ("post", "/v1/ant/es/activity"): "saveActivity",
    ("put", "/v1/ant/es/activity"): "updateActivity",
    ("post", "/v1/ant/es/activity/bulk"): "bulkSaveActivities",
    ("put", "/v1/ant/es/activity/bulk"): "bulkUpdateActivities",
    ("get", "/v1/ant/es/job/status/{jobId}"): "getJobStatus",
    ("put", "/v1/ant/es/job/abort/{jobId}"): "abortJob",
    ("delete", "/v1/ant/es/activity"): "deleteActivities",
    ("post", "/v1/ant/es/activity/deleted"): "fetchDeletedActivities",
    ("post", "/v1/data/objects/query/activity_timeline"): "queryActivities",
}
EVENTS_OPERATIONS = {
    ("post", "/events"): "publishEvent",
    ("post", "/events/bulk"): "publishEventsBulk",
    ("get", "/events/types"): "listEventTypes",
}
FRAMEWORK_OPERATIONS = {("post", "/{version}/api/eventManager/event"): "publishFrameworkEvent"}
EXPECTED = {"timeline": TIMELINE_OPERATIONS, "events": EVENTS_OPERATIONS, "events-framework": FRAMEWORK_OPERATIONS}


def _operations(spec: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(method, path): op for path, item in spec["paths"].items() for method, op in item.items()}


def _examples(media: dict[str, Any]) -> list[Any]:
    return [e["value"] for e in media.get("examples", {}).values()] + ([media["example"]] if "example" in media else [])


@pytest.mark.parametrize("name", SPEC_NAMES)
def test_openapi_spec_validator_accepts_the_spec(name: str) -> None:
    validate(load_spec(name))


@pytest.mark.parametrize("name", SPEC_NAMES)
def test_operations_are_the_documented_ones_with_stable_ids(name: str) -> None:
    found = {key: op["operationId"] for key, op in _operations(load_spec(name)).items()}
    assert found == EXPECTED[name]


@pytest.mark.parametrize("name", SPEC_NAMES)
def test_every_operation_has_schemas_and_examples_both_ways(name: str) -> None:
    for (method, path), op in _operations(load_spec(name)).items():
        label = f"{method.upper()} {path}"
        ok = op["responses"]["200"]["content"]["application/json"]
        assert "schema" in ok, label
        assert _examples(ok), label
        if "requestBody" in op:
            body = op["requestBody"]["content"]["application/json"]
            assert "schema" in body, label
            assert _examples(body), label
        else:
            # Without a body the request is its parameters (or nothing at all).
            assert method == "get" or op.get("parameters"), label
        assert {"400", "401", "429"} <= set(op["responses"]), label
        if "requestBody" in op:
            assert "413" in op["responses"], label


def test_events_info_warns_about_gainsights_own_events_page() -> None:
    description = load_spec("events")["info"]["description"]
    assert "supplied" in description
    assert "eventManager/event" in description
    assert "sharedSecret" in description


def test_timeline_error_codes_cover_the_documented_table_and_generic_codes() -> None:
    code = load_spec("timeline")["components"]["schemas"]["ErrorCode"]
    documented = {
        f"GS_TL_10_0{n}" for n in ("202", "110", "203", "107", "108", "206", "211", "213", "214", "215", "222", "223")
    }
    generic = {"GSOBJ_1001", "GSOBJ_1002", "GSOBJ_1007", "GSOBJ_1011", "GSOBJ_1023", "GSOBJ_1024", "GS_APIG_2401"}
    assert set(code["enum"]) == documented | generic
    assert set(code["x-enumDescriptions"]) == set(code["enum"])


def test_fixed_samples_say_what_was_fixed() -> None:
    text = spec_path("timeline").read_text()
    for fix in (
        'trailing comma after "companyName"',
        'trailing comma after "GsRelationshipId"',
        "one `}` is missing",
        "lacks its opening `{`",
    ):
        assert any(fix in line for line in text.splitlines() if line.strip().startswith("# Fixed: ")), fix


@pytest.mark.slow
@pytest.mark.parametrize("name", SPEC_NAMES)
def test_schemathesis_loads_and_generates_every_operation(name: str) -> None:
    schema = schemathesis.openapi.from_path(str(spec_path(name)))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len(EXPECTED[name])
    for operation in operations:
        assert _generates(operation), operation.label


def _generates(operation: Any) -> bool:
    seen: list[object] = []

    @settings(max_examples=5, phases=[Phase.generate], deadline=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def generate(case: Any) -> None:
        seen.append(case)

    generate()
    return bool(seen)


def test_timeline_links_load_as_state_machine_transitions() -> None:
    schema = schemathesis.openapi.from_path(str(spec_path("timeline")))
    machine = schema.as_state_machine()
    rules = {name for name in vars(machine) if "___200_" in name}
    for link, source, target in [
        ("GetTheJobStatus", "POST_v1_ant_es_activity_bulk", "GET_v1_ant_es_job_status_jobId_"),
        ("GetTheJobStatus", "PUT_v1_ant_es_activity_bulk", "GET_v1_ant_es_job_status_jobId_"),
        ("AbortTheJob", "GET_v1_ant_es_job_status_jobId_", "PUT_v1_ant_es_job_abort_jobId_"),
        ("AbortTheJob", "POST_v1_ant_es_activity_bulk", "PUT_v1_ant_es_job_abort_jobId_"),
        ("QueryTheSavedActivity", "POST_v1_ant_es_activity", "POST_v1_data_objects_query_activity_timeline"),
        ("DeleteTheFoundActivity", "POST_v1_data_objects_query_activity_timeline", "DELETE_v1_ant_es_activity"),
        ("FetchTheDeletedActivities", "DELETE_v1_ant_es_activity", "POST_v1_ant_es_activity_deleted"),
    ]:
        # schemathesis names each transition "<source> -> 200 -> <link> -> <target>", normalized.
        assert any(n.startswith(source) and f"_200_{link}__{target}" in n for n in rules), link


def test_non_blank_strings_agree_with_pythons_white_space() -> None:
    # gscontract's rules call a value blank when str.isspace() says so. The schema's pattern is read as
    # ECMA-262 (jsonschema-rs, as schemathesis and the mock read it), whose \s is narrower; it must still
    # reject every such string, or generated records would fail the validator.
    schema = {"type": "string", "pattern": load_spec("timeline")["components"]["schemas"]["NonBlankString"]["pattern"]}
    validator = jsonschema_rs.validator_for(schema)
    spaces = [chr(c) for c in range(0x3001) if chr(c).isspace()]
    assert [repr(c) for c in spaces if validator.is_valid(c * 2)] == []
    assert validator.is_valid(" x ")
    # Why a plain "\\S" would not do: ECMA-262 calls U+001C a non-space character.
    assert jsonschema_rs.validator_for({"pattern": "\\S"}).is_valid("\x1c")
