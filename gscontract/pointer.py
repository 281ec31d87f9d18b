"""RFC 6901 JSON pointers: build them from paths, parse them back, and resolve them in a document."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["PathPart", "escape", "parse_pointer", "resolve", "to_pointer"]

PathPart = str | int


def escape(token: str) -> str:
    """Escape one reference token (``~`` becomes ``~0``, ``/`` becomes ``~1``)."""
    return token.replace("~", "~0").replace("/", "~1")


def _unescape(token: str) -> str:
    # Order matters (RFC 6901, section 4): "~01" must become "~1", not "/".
    return token.replace("~1", "/").replace("~0", "~")


def to_pointer(path: Iterable[PathPart]) -> str:
    """Encode a path of keys and indexes as a pointer; the empty path is ``""``, the whole document."""
    return "".join("/" + escape(str(part)) for part in path)


def parse_pointer(pointer: str) -> list[str]:
    """Split a pointer into its unescaped reference tokens.

    Raises:
        ValueError: the pointer is neither empty nor starts with ``/``.
    """
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"JSON pointer must be empty or start with '/': {pointer!r}")
    return [_unescape(token) for token in pointer[1:].split("/")]


def resolve(document: Any, pointer: str | Sequence[PathPart]) -> Any:
    """Return the value a pointer (or an already-split path) designates in ``document``.

    Raises:
        KeyError: the pointer leads nowhere in this document.
    """
    tokens = parse_pointer(pointer) if isinstance(pointer, str) else list(pointer)
    node = document
    for token in tokens:
        if isinstance(node, dict):
            key = str(token)
            if key not in node:
                raise KeyError(f"no member {key!r} at {to_pointer(tokens)!r}")
            node = node[key]
        elif isinstance(node, list):
            text = str(token)
            # RFC 6901 array indexes are decimal without leading zeros.
            if not text.isdigit() or (len(text) > 1 and text[0] == "0") or int(text) >= len(node):
                raise KeyError(f"no item {text!r} at {to_pointer(tokens)!r}")
            node = node[int(text)]
        else:
            raise KeyError(f"cannot descend into a scalar at {to_pointer(tokens)!r}")
    return node
