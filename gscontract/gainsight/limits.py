"""The sizes Gainsight's documents state: field lengths, the bulk body size and the query's row limit.

Every part of gscontract that needs one of these numbers reads it here: the rules that judge a payload,
the strategies that build one just over a limit, the mock that refuses a body and the contract runner
that pages through a query.
"""

from __future__ import annotations

from typing import Final

__all__ = ["MAX_BODY_BYTES", "NOTES_LIMIT", "QUERY_ROW_LIMIT", "SUBJECT_LIMIT"]

SUBJECT_LIMIT: Final = 255
"""An activity's Subject: "The character limit of 255"."""

NOTES_LIMIT: Final = 32_000
"""An activity's Notes: "The character limit is 32000 for plain text" (markup not counted)."""

MAX_BODY_BYTES: Final = 80 * 1024 * 1024
"""A bulk call's body: "80MB size payload per call", read as binary megabytes (the lenient reading)."""

QUERY_ROW_LIMIT: Final = 5000
"""The data query API's ``limit``: at most 5,000 rows per call; more are read by paging with ``offset``."""
