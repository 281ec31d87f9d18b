"""Gainsight's data objects as the Timeline APIs meet them: the activity object and its lookup fields.

The read API is Gainsight's generic data query API pointed at the ``activity_timeline`` object. Its
lookup fields hold the GSID of a record of another object; the Timeline document's lookups name those
objects, and the data APIs' ``__gr.`` notation reads a field of the record a lookup points at
(``AuthorId__gr.Email``, as public Timeline clients filter).
"""

from __future__ import annotations

from typing import Final

__all__ = ["LOOKUP_OBJECTS", "TIMELINE_OBJECT", "TRAVERSABLE_LOOKUPS", "TRAVERSAL_MARK"]

TIMELINE_OBJECT: Final = "activity_timeline"
"""The data APIs' name of the Timeline activity object: the read path's last segment, and the
``ObjectName`` of its entries in the deleted-record log. The data APIs read object names without regard
to case (public clients post to ``.../query/Activity_Timeline``)."""

LOOKUP_OBJECTS: Final = {
    "AuthorId": "GsUser",
    "GsCompanyId": "Company",
    "GsRelationshipId": "Relationship",
    "InternalAttendees": "GsUser",
    "ExternalAttendees": "Company_Person",
}
"""The lookup keys the Timeline document's samples use, and the object each one reads."""

TRAVERSABLE_LOOKUPS: Final = {key: LOOKUP_OBJECTS[key] for key in ("AuthorId", "GsCompanyId", "GsRelationshipId")}
"""The single-valued lookup fields of a saved activity, each holding one GSID of its object: a query
may read through them with ``__gr.`` (``GsCompanyId__gr.Name``). The attendee lookups hold lists."""

TRAVERSAL_MARK: Final = "__gr."
"""What joins a lookup field and a field of the record it points at (``AuthorId__gr.Email``)."""
