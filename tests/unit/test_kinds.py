from __future__ import annotations

import pytest

from gscontract.payload.kinds import Kind, detect_kind, kind_from_content, kind_from_name, parse_kind_spec


@pytest.mark.parametrize(
    ("name", "kind", "identifier"),
    [
        ("timeline-update.externalid.accounts.json", Kind.TIMELINE_UPDATE, "externalid"),
        ("timeline-update.json", Kind.TIMELINE_UPDATE, None),
        ("dir/timeline-insert.single.json", Kind.TIMELINE_INSERT, None),
        ("timeline-deleted-filter.json", Kind.TIMELINE_DELETED_FILTER, None),
        ("events-bulk.ndjson", Kind.EVENTS_BULK, None),
    ],
)
def test_file_names_that_start_with_a_kind_choose_it(name: str, kind: Kind, identifier: str | None) -> None:
    choice = kind_from_name(name)
    assert choice is not None
    assert (choice.kind, choice.identifier, choice.reason) == (kind, identifier, "file name")


def test_names_that_merely_contain_a_kind_do_not() -> None:
    assert kind_from_name("my-timeline-insert.json") is None
    assert kind_from_name("timeline-inserts.json") is None


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ({"records": [{"ExternalId": "a"}]}, Kind.TIMELINE_INSERT),
        ({"records": []}, Kind.TIMELINE_INSERT),
        ({"records": [{"eventType": "x", "operation": "INSERT"}]}, Kind.EVENTS_BULK),
        (["1I004SG7RDV06L1HFJQV0XO6SLZAD1TEXL4E"], Kind.TIMELINE_DELETE),
        ([], Kind.TIMELINE_DELETE),
        ({"filter": {}}, Kind.TIMELINE_DELETED_FILTER),
        ({"select": ["Gsid"]}, Kind.TIMELINE_QUERY),
        ({"eventType": "x", "objectType": "Company", "payload": {}}, Kind.EVENT),
    ],
)
def test_content_decides_between_shapes(value: object, kind: Kind) -> None:
    choice = kind_from_content(value)
    assert choice is not None
    assert choice.kind is kind


@pytest.mark.parametrize("value", [{"activities": []}, "text", 3, [{"a": 1}], None])
def test_unknown_shapes_have_no_kind(value: object) -> None:
    assert kind_from_content(value) is None


def test_content_never_makes_an_update_but_the_config_table_can() -> None:
    body = {"records": [{"Gsid": "1I00", "Subject": "s"}]}
    assert detect_kind("data/acme.json", body).kind is Kind.TIMELINE_INSERT  # type: ignore[union-attr]
    choice = detect_kind("data/acme.json", body, table={"data/*.json": "timeline-update:externalid"})
    assert choice is not None
    assert (choice.kind, choice.identifier) == (Kind.TIMELINE_UPDATE, "externalid")
    assert "config" in choice.reason


def test_kind_specs_are_checked() -> None:
    assert parse_kind_spec("timeline-update:ActivityId") == (Kind.TIMELINE_UPDATE, "activityid")
    with pytest.raises(ValueError, match="unknown identifier"):
        parse_kind_spec("timeline-update:gsid")
    with pytest.raises(ValueError, match="timeline-upsert"):
        parse_kind_spec("timeline-upsert")
