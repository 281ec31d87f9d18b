"""How a saved activity reads back through the query API: the fields sent, plus those the tenant keeps.

The Timeline document lists the fields a client writes; real ``activity_timeline`` records carry more,
and public clients select them (:data:`READ_FIELDS`). The mock fills in the ones it can derive from what
it stored, so a client that selects them reads values, not nulls:

* ``Gsid``, ``ExternalId``, ``CreatedDate``, ``LastModifiedDate`` (and ``ModifiedDate``, its older name
  in gscontract): the store's own columns, whatever the record sent;
* ``NotesPlainText``: ``Notes`` without HTML tags, entities decoded (what the 32,000-character limit counts);
* ``UserEmail``: the author's email (the tenant user ``AuthorId`` points at), unless the record sent one;
* ``TypeName`` / ``ActivityTypeId``: each from the other through the tenant's activity types, unless sent.

The other read fields (``DurationInMins``, ``ExternalSource``, ``MilestoneType`` ...) come back as the
record sent them, and as ``null`` when it did not: the mock has nothing to derive them from.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Final

import orjson

from ..rules.fields import notes_plain_text
from .ids import iso_from_ms
from .query_language import field_value
from .statements import ActivityRow
from .tenantview import ReferenceData

__all__ = ["READ_FIELDS", "activity_row"]

READ_FIELDS: Final = (
    "Gsid",
    "ExternalId",
    "CreatedDate",
    "LastModifiedDate",
    "ActivityDate",
    "ContextName",
    "TypeName",
    "ActivityTypeId",
    "Subject",
    "Notes",
    "NotesPlainText",
    "AuthorId",
    "UserEmail",
    "GsCompanyId",
    "GsRelationshipId",
    "GsRelationshipTypeId",
    "InternalAttendees",
    "ExternalAttendees",
    "DurationInMins",
    "ExternalSource",
    "MilestoneType",
    "ScorecardMeasure",
    "SfdcCtaId",
)
"""The standard fields of a read activity, as Gainsight's samples and public clients spell them."""


def _wanted(name: str, wanted: Collection[str] | None) -> bool:
    return wanted is None or name.casefold() in wanted


def activity_row(
    activity: ActivityRow, reference: ReferenceData, wanted: Collection[str] | None = None
) -> dict[str, Any]:
    """A saved activity as the query API reads it.

    Args:
        activity: the stored row.
        reference: the tenant's reference data (users, activity types).
        wanted: the case-folded field names the query reads (select, where, orderBy); ``None`` for all.
            Fields nobody asked for are not derived, so a big read stays cheap.
    """
    row: dict[str, Any] = orjson.loads(activity.doc)
    row["Gsid"] = activity.gsid
    row["ExternalId"] = activity.external_id
    row["CreatedDate"] = iso_from_ms(activity.created_ms)
    row["LastModifiedDate"] = row["ModifiedDate"] = iso_from_ms(activity.modified_ms)
    if _wanted("NotesPlainText", wanted):
        notes = row.get("Notes")
        row["NotesPlainText"] = notes_plain_text(notes) if isinstance(notes, str) else None
    if _wanted("UserEmail", wanted) and field_value(row, "UserEmail") is None:
        author = reference.by_gsid("GsUser").get(str(row.get("AuthorId")))
        row["UserEmail"] = author.get("Email") if author is not None else None
    if (_wanted("TypeName", wanted) or _wanted("ActivityTypeId", wanted)) and reference.data.rows("ActivityType"):
        _fill_type(row, reference)
    return row


def _fill_type(row: dict[str, Any], reference: ReferenceData) -> None:
    """Give ``TypeName`` from ``ActivityTypeId`` or the other way round, through the tenant's activity types."""
    types = reference.data.rows("ActivityType")
    name, type_id = field_value(row, "TypeName"), field_value(row, "ActivityTypeId")
    if name is None and isinstance(type_id, str):
        row["TypeName"] = next((t["Name"] for t in types if t.get("Id") == type_id), None)
    elif type_id is None and isinstance(name, str):
        row["ActivityTypeId"] = next((t["Id"] for t in types if str(t.get("Name")).casefold() == name.casefold()), None)
