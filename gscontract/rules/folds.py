"""Document rules that judge records against each other, written as folds over the records as they arrive.

A rule such as "no two records share an ExternalId" needs every record of a body, but not all of them at
once: it needs what it remembers of the records before (the ids seen so far). Such a rule registers a
:class:`Fold` factory beside its document function. The streaming validator feeds the fold the records
of a file in batches as they are read and never holds the file's records; the mock and the other callers
of :func:`gscontract.lint.check` pass a whole body, and :func:`over_records` feeds the same fold the
body's records in one batch, so both get the same violations from the same code.

A fold's state must stay bounded by what the rule needs to remember (ids, field sets per activity type),
never by the records themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..payload.kinds import Kind

if TYPE_CHECKING:
    from ..pointer import PathPart
    from . import Context, Violation

__all__ = ["ENVELOPE_KINDS", "Fold", "FoldOf", "Located", "over_records", "records_of"]

ENVELOPE_KINDS = frozenset({Kind.TIMELINE_INSERT, Kind.TIMELINE_UPDATE, Kind.EVENTS_BULK, Kind.FRAMEWORK_EVENTS})

Located = tuple[int, "Violation"]
"""A violation of the record at an index of the batch's array; its path is relative to that record."""


class Fold:
    """What a cross-record rule remembers over one body's records, and what it says about each batch.

    ``feed`` receives consecutive records, the first at ``start`` (an index of the body's records), and
    yields ``(index, violation)`` with a path relative to that record. ``end`` is told how many records the
    body had and yields violations with paths from the body's top.
    """

    def feed(self, start: int, records: Sequence[Any]) -> Iterable[Located]:
        """The violations of the records ``start`` .. ``start + len(records) - 1``."""
        return ()

    def end(self, count: int) -> Iterable[Violation]:
        """The violations known once the body's ``count`` records have all been fed."""
        return ()


FoldOf = Callable[["Context"], Fold]
"""Makes a rule's fold for one body, in the body's context."""


def records_of(document: Any, kind: Kind) -> tuple[tuple[PathPart, ...], Sequence[Any] | None]:
    """The record array a body holds for ``kind`` and the path it sits under; ``None`` when it has none.

    An envelope's records are its ``records`` array; a single event is its own only record, at ``()``
    (its violations carry no index). Other kinds, and an envelope whose ``records`` is no array, have none.
    """
    if kind in ENVELOPE_KINDS and isinstance(document, dict) and isinstance(document.get("records"), list):
        return ("records",), document["records"]
    if kind is Kind.EVENT and isinstance(document, dict):
        return (), (document,)
    return (), None


def over_records(fold: Fold, document: Any, ctx: Context) -> Iterator[Violation]:
    """Run ``fold`` over a whole body's records: the document-rule form of a folded rule."""
    from . import Violation  # the package imports this module while it registers rules

    base, records = records_of(document, ctx.kind)
    if records is None:
        return
    single = ctx.kind is Kind.EVENT
    for index, violation in fold.feed(0, records):
        prefix = base if single else (*base, index)
        yield Violation(violation.message, (*prefix, *violation.path))
    yield from fold.end(len(records))
