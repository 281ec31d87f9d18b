"""The documentation profiles, and the ContextName values each one allows.

``legacy`` follows the seed edition of the Timeline document: ContextName "can either be Company or
Relationship", and 4 bulk calls an hour. ``current`` (the default) follows the newer editions, which add
five context names (whose extra required keys they do not document, hence a warning on each) and 12
bulk calls an hour.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "CURRENT",
    "CURRENT_CONTEXTS",
    "DEFAULT_PROFILE",
    "LEGACY",
    "LEGACY_CONTEXTS",
    "NEWER_CONTEXTS",
    "PROFILES",
    "allowed_contexts",
]

CURRENT: Final = "current"
LEGACY: Final = "legacy"
PROFILES: Final = (CURRENT, LEGACY)
DEFAULT_PROFILE: Final = CURRENT

LEGACY_CONTEXTS: Final = ("Company", "Relationship")
NEWER_CONTEXTS: Final = ("CTA", "SuccessPlan", "Scorecard", "ScorecardMeasure", "Milestone")
"""Allowed under ``current`` only, with a warning: the documents do not say what else they need."""
CURRENT_CONTEXTS: Final = (*LEGACY_CONTEXTS, *NEWER_CONTEXTS)

_ALLOWED: Final = {CURRENT: frozenset(CURRENT_CONTEXTS), LEGACY: frozenset(LEGACY_CONTEXTS)}


def allowed_contexts(profile: str) -> frozenset[str]:
    """The ContextName values ``profile`` allows (an unknown profile reads as the default)."""
    return _ALLOWED.get(profile, _ALLOWED[DEFAULT_PROFILE])
