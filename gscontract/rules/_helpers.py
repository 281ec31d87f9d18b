"""Small helpers shared by rule modules: JSON type names and record access."""

from __future__ import annotations

from typing import Any

__all__ = ["is_blank", "type_name"]


def type_name(value: Any) -> str:
    """JSON's name for a Python value's type, with an article, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def is_blank(value: Any) -> bool:
    """Whether a field counts as not given: absent, ``null`` or a string of white space only."""
    return value is None or (isinstance(value, str) and not value.strip())
