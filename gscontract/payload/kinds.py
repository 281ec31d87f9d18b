"""The kinds of payload gscontract validates, and how a file's kind is chosen.

Insert and update bodies look alike, so content never makes an update: a file name that starts with
the kind (``timeline-update.externalid.accounts.json``) or the ``kinds`` table of the configuration
says so. Content decides only between shapes that differ.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from .patterns import first_match

__all__ = [
    "IDENTIFIERS",
    "Kind",
    "KindChoice",
    "detect_kind",
    "kind_from_content",
    "kind_from_name",
    "parse_kind_spec",
]

IDENTIFIERS = ("externalid", "activityid")
_EVENT_KEYS = frozenset({"eventType", "objectType", "operation", "payload"})
_FRAMEWORK_KEYS = frozenset({"topicName", "eventName", "eventVersion"})


class Kind(enum.StrEnum):
    """A payload kind: the body of one Timeline or Events operation, or a file of Events Framework events.

    ``framework-events`` is a ``records`` array (or a JSON Lines file, one event a line) of
    ``{"topicName", "eventName", "eventVersion", "payload"}``: what a publisher sends, its naming
    headers written next to its body.
    """

    TIMELINE_INSERT = "timeline-insert"
    TIMELINE_UPDATE = "timeline-update"
    TIMELINE_DELETE = "timeline-delete"
    TIMELINE_DELETED_FILTER = "timeline-deleted-filter"
    TIMELINE_QUERY = "timeline-query"
    EVENT = "event"
    EVENTS_BULK = "events-bulk"
    FRAMEWORK_EVENTS = "framework-events"

    @property
    def has_records(self) -> bool:
        """Whether the body's records are checked one by one (an envelope or a single event)."""
        return self in {Kind.TIMELINE_INSERT, Kind.TIMELINE_UPDATE, Kind.EVENTS_BULK, Kind.EVENT, Kind.FRAMEWORK_EVENTS}


@dataclass(frozen=True, slots=True)
class KindChoice:
    """A kind, the update identifier that goes with it, and what decided them."""

    kind: Kind
    identifier: str | None = None
    reason: str = "content"


def parse_kind_spec(text: str) -> tuple[Kind, str | None]:
    """Read ``kind[:identifier]`` (the config's notation).

    Raises:
        ValueError: unknown kind or identifier.
    """
    name, _, identifier = text.partition(":")
    kind = Kind(name.strip())
    ident = identifier.strip().lower() or None
    if ident is not None and ident not in IDENTIFIERS:
        raise ValueError(f"unknown identifier {ident!r} (expected one of {', '.join(IDENTIFIERS)})")
    return kind, ident


def kind_from_name(path: str) -> KindChoice | None:
    """The kind a file name starts with (``timeline-update.externalid.x.json``), if any."""
    name = PurePath(path).name
    for kind in sorted(Kind, key=lambda k: -len(k.value)):
        if name == kind.value or name.startswith(kind.value + "."):
            rest = name[len(kind.value) + 1 :].split(".")
            identifier = rest[0].lower() if kind is Kind.TIMELINE_UPDATE and rest[0].lower() in IDENTIFIERS else None
            return KindChoice(kind, identifier, "file name")
    return None


def kind_from_content(value: Any) -> KindChoice | None:
    """Guess a kind from a document's shape; ``None`` when the shape fits no kind."""
    if isinstance(value, list):
        if all(isinstance(item, str) for item in value):
            return KindChoice(Kind.TIMELINE_DELETE)
        return None
    if not isinstance(value, dict):
        return None
    if "records" in value:
        records = value["records"]
        first = next((r for r in records if isinstance(r, dict)), None) if isinstance(records, list) else None
        if first is not None and len(_FRAMEWORK_KEYS & first.keys()) >= 2:
            return KindChoice(Kind.FRAMEWORK_EVENTS)
        if first is not None and len(_EVENT_KEYS & first.keys()) >= 2:
            return KindChoice(Kind.EVENTS_BULK)
        return KindChoice(Kind.TIMELINE_INSERT)
    if "filter" in value:
        return KindChoice(Kind.TIMELINE_DELETED_FILTER)
    if "select" in value or "where" in value:
        return KindChoice(Kind.TIMELINE_QUERY)
    if len(_EVENT_KEYS & value.keys()) >= 2:
        return KindChoice(Kind.EVENT)
    return None


def detect_kind(
    path: str, value: Any, *, table: Mapping[str, str] | None = None, root: Path | None = None
) -> KindChoice | None:
    """Choose a file's kind: its name first, then the config's glob table, then its content.

    The table's globs are relative to ``root``, the folder of the configuration file (the working
    folder when ``None``); see :mod:`.patterns`.

    Raises:
        ValueError: a matching table entry names an unknown kind or identifier.
    """
    by_name = kind_from_name(path)
    if by_name is not None:
        return by_name
    found = first_match(table or {}, path, root)
    if found is not None:
        pattern, spec = found
        kind, identifier = parse_kind_spec(spec)
        return KindChoice(kind, identifier, f"config kinds[{pattern!r}]")
    return kind_from_content(value)
