r"""Text from a payload made safe to print on one line of a terminal or a CI log.

A payload is written by someone else. Its keys and values reach the output through messages that quote
them, through JSON pointers (made of its keys) and through file names. Printed raw, a newline inside a
key would start a new line that looks like a finding (``path:1:1: TL101 ...``) or a summary, and an ANSI
escape could recolour, hide or rewrite what is already on the screen. CI log parsers trust such lines.

:func:`one_line` shows every such character the way a JSON string escapes it (``\n``, ``\u001b``), so
the text stays on its line and nothing in it is invisible or acts on the terminal.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["one_line"]

# What must not reach a terminal raw: C0 controls (tab, newline and carriage return included), DEL, C1
# controls (U+009B is a one-character CSI on some terminals), the Unicode line and paragraph separators
# (line breaks to some log viewers), the bidirectional controls that reorder text as it is displayed,
# lone surrogates (not encodable as UTF-8) and the two non-characters.
_UNSAFE: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
_SHORT: Final = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _SHORT.get(char) or f"\\u{ord(char):04x}"


def one_line(text: str) -> str:
    r"""``text`` with line breaks, control characters and bidirectional controls written as JSON escapes.

    Printable text, backslashes included, is left as it is: ``one_line("a\nb")`` is ``a\nb`` with a
    literal backslash, on one line.
    """
    return _UNSAFE.sub(_escape, text)
