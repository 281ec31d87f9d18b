"""TL60x: bulk update bodies, beyond what inserts share with them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from . import Context, Scope, Violation, rule
from ._helpers import UPDATE
from .folds import Fold, Located, over_records


def _activity_type(record: dict[str, Any]) -> tuple[str, Any] | None:
    for name in ("ActivityTypeId", "TypeName"):
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return name, value
    return None


class _SameFields(Fold):
    """TL601's memory: the first record's index and fields for each activity type (not the records)."""

    def __init__(self, ctx: Context) -> None:
        self.first: dict[tuple[str, Any], tuple[int, frozenset[str]]] = {}

    def feed(self, start: int, records: Sequence[Any]) -> Iterator[Located]:
        first = self.first
        for index, record in enumerate(records, start):
            if record.__class__ is not dict:
                continue
            activity_type = _activity_type(record)
            if activity_type is None:
                continue  # TL301 reports it
            fields = frozenset(record)
            seen = first.setdefault(activity_type, (index, fields))
            if seen[1] != fields:
                lacks, adds = sorted(seen[1] - fields), sorted(fields - seen[1])
                parts = [f"lacks {', '.join(lacks)}"] * bool(lacks) + [f"adds {', '.join(adds)}"] * bool(adds)
                name, value = activity_type
                message = f"records of {name} {value!r} must update the same fields: unlike record {seen[0]}, "
                yield index, Violation(message + " and ".join(parts))


@rule(
    "TL601",
    name="update-field-sets-differ",
    kinds=UPDATE,
    code="GSOBJ_1002",
    scope=Scope.DOCUMENT,
    fold=_SameFields,
)
def update_field_sets_differ(document: Any, ctx: Context) -> Iterator[Violation]:
    """Records of one activity type in a bulk update carry different sets of fields.

    ## Why is this bad?
    The Timeline document's update API: "While updating the bulk records, the parameter set you are
    trying to update should be the same for all the records per activity type." The first record of
    each type (by ``ActivityTypeId``, else ``TypeName``, as written) sets the fields; each later
    record of that type with other fields is reported, naming the fields it lacks or adds. Records of
    different types may differ, as in the document's sample. No code is documented; we use
    ``GSOBJ_1002`` (invalid value).

    ## Example
    ```json timeline-update:externalid
    {"records": [
      {"TypeName": "Update", "ExternalId": "crm-0001", "Subject": "Call", "Notes": "New notes"},
      {"TypeName": "Update", "ExternalId": "crm-0002", "Subject": "Call", "Notes": "New notes",
       "ActivityDate": "2022-07-01T06:36:00.000-07:00"}]}
    ```

    Use instead:
    ```json timeline-update:externalid
    {"records": [
      {"TypeName": "Update", "ExternalId": "crm-0001", "Subject": "Call", "Notes": "New notes",
       "ActivityDate": "2022-07-01T06:30:00.000-07:00"},
      {"TypeName": "Update", "ExternalId": "crm-0002", "Subject": "Call", "Notes": "New notes",
       "ActivityDate": "2022-07-01T06:36:00.000-07:00"}]}
    ```
    """
    return over_records(_SameFields(ctx), document, ctx)
