"""Pins of the schemathesis internals gscontract.contract.engine.phases relies on (behaviour pinned to 4.32).

schemathesis 4 has no public entry point that runs its phases outside its CLI and pytest plugin, so
phases.py drives its engine and reads its events, as the CLI does. If an upgrade moves any of these,
these tests fail with a message saying what moved, before a contract run silently finds nothing.
"""

from __future__ import annotations

import dataclasses
import inspect

import schemathesis

from gscontract.contract.engine.phases import PhaseSettings, body_breaks_schema, build_config
from gscontract.specfiles import spec_path


def test_major_version() -> None:
    assert schemathesis.__version__.startswith("4."), (
        f"gscontract is pinned to schemathesis 4, got {schemathesis.__version__}"
    )


def test_engine_entry_point_and_stream() -> None:
    from schemathesis.engine import from_schema
    from schemathesis.engine.core import EventStream

    assert callable(from_schema), "schemathesis.engine.from_schema moved"
    assert callable(getattr(EventStream, "stop", None)), "EventStream.stop moved"


def test_events_carry_what_we_read() -> None:
    from schemathesis.engine import events

    for name in ("ScenarioFinished", "NonFatalError", "FatalError", "Interrupted", "PhaseFinished"):
        assert hasattr(events, name), f"schemathesis.engine.events.{name} moved"
    fields = set(inspect.get_annotations(events.ScenarioFinished))
    assert {"phase", "recorder"} <= fields, f"ScenarioFinished lost phase/recorder: {fields}"
    assert {"info", "label", "value"} <= set(inspect.get_annotations(events.NonFatalError))


def test_recorder_shape() -> None:
    from schemathesis.engine.recorder import CheckFailureInfo, CheckNode, ScenarioRecorder

    recorder = ScenarioRecorder(label="x")
    for attribute in ("cases", "checks", "interactions"):
        assert isinstance(getattr(recorder, attribute), dict), f"ScenarioRecorder.{attribute} changed"
    assert {f.name for f in dataclasses.fields(CheckNode)} >= {"name", "failure_info"}
    assert {f.name for f in dataclasses.fields(CheckFailureInfo)} >= {"code_sample", "failure"}


def test_custom_failures_keep_their_exception() -> None:
    from schemathesis.core.failures import CustomFailure

    failure = CustomFailure(operation="x", title="t", message="m", exception=AssertionError("a"))
    assert isinstance(failure.exception, AssertionError)


def test_check_registry_and_asgi_lifespans() -> None:
    from schemathesis.checks import CHECKS, load_all_checks
    from schemathesis.python import asgi

    load_all_checks()
    names = {check.__name__ for check in CHECKS.get_all() if hasattr(check, "__name__")}
    assert {"not_a_server_error", "response_schema_conformance", "ignored_auth", "use_after_free"} <= names
    assert callable(asgi.shutdown_lifespans)


def test_our_config_is_valid_schemathesis_config() -> None:
    config = build_config(
        PhaseSettings(checks=("not_a_server_error",), negative_off=("saveActivity",), api_key="k"), ["AccessKey"]
    )
    project = config.projects.get_default()
    assert project.workers == 1 or project.workers >= 1
    assert project.generation.max_examples == 10


def test_a_linked_body_is_judged_against_its_operations_schema() -> None:
    # A stateful step stays "positive" when a link fills its body (schemathesis issue #2983); phases.py
    # reads the operation's raw schema to tell a body the link broke from a truly valid one.
    query = schemathesis.openapi.from_path(str(spec_path("timeline")))["/v1/data/objects/query/activity_timeline"]
    linked = {
        "select": ["Gsid"],
        "where": {"conditions": [{"name": "ExternalId", "alias": "A", "value": [[{}]], "operator": "EQ"}]},
    }
    valid = {
        "select": ["Gsid"],
        "where": {"conditions": [{"name": "ExternalId", "alias": "A", "value": ["e1"], "operator": "EQ"}]},
    }
    assert body_breaks_schema(query["POST"].Case(body=linked))
    assert not body_breaks_schema(query["POST"].Case(body=valid))
    publish = schemathesis.openapi.from_path(str(spec_path("events")))["/events"]["POST"]
    assert body_breaks_schema(publish.Case(body={"eventType": 3}))
    types = schemathesis.openapi.from_path(str(spec_path("events")))["/events/types"]["GET"]
    assert not body_breaks_schema(types.Case())
