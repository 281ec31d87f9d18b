"""Mask secrets in everything gscontract shows or writes: console lines, reports, curl lines, HAR files.

A :class:`Redactor` knows three kinds of secret:

* literal values (the access key): replaced wherever they occur, in any letter case, also URL- or
  JSON-escaped or base64-encoded (a tenant may echo the key back in any of these forms);
* header names (``accesskey``, ``authorization``, ... plus ``--redact-header``): their values are masked in
  header mappings, in HAR-style ``{"name": ..., "value": ...}`` pairs and in ``Name: value`` text such as
  curl's ``-H 'accesskey: ...'``;
* body fields (``--redact-field``): the value of a JSON key of that name is masked at any depth, in parsed
  data and in JSON text. Email addresses are masked everywhere by default, since Timeline records carry
  the author's and attendees' addresses.

Redaction is one-way and idempotent: masking a masked text changes nothing.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, quote_plus

__all__ = ["DEFAULT_SECRET_HEADERS", "MASK", "Redactor"]

MASK = "[REDACTED]"
EMAIL_MASK = "[REDACTED-EMAIL]"

# Header names that carry credentials in Gainsight's APIs (accesskey, Events' sharedSecret, the bulk
# export's `authentication`) and in HTTP generally. Compared case-insensitively.
DEFAULT_SECRET_HEADERS: tuple[str, ...] = (
    "accesskey",
    "access-key",
    "authentication",
    "authorization",
    "cookie",
    "proxy-authorization",
    "set-cookie",
    "sharedsecret",
    "x-access-key",
    "x-api-key",
    "x-auth-token",
)

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
# Short literals would mask ordinary words; such keys are still masked wherever a secret header carries them.
_MIN_LITERAL = 6


@dataclass(frozen=True, slots=True)
class Redactor:
    """Masks the configured secrets in text, header mappings and JSON-like data.

    Args:
        secrets: literal values to mask wherever they appear (the access key).
        headers: extra header names whose values are secret (added to :data:`DEFAULT_SECRET_HEADERS`).
        fields: JSON keys whose values are secret, at any depth, compared case-insensitively.
        emails: mask anything that looks like an email address.
    """

    secrets: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    emails: bool = True
    _header_names: frozenset[str] = field(init=False, repr=False, compare=False)
    _field_names: frozenset[str] = field(init=False, repr=False, compare=False)
    _literal_text: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _header_text: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _field_text: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = frozenset(h.strip().lower() for h in (*DEFAULT_SECRET_HEADERS, *self.headers) if h.strip())
        fields = frozenset(f.strip().lower() for f in self.fields if f.strip())
        literal_text = _literal_pattern(s for s in self.secrets if s and len(s) >= _MIN_LITERAL)
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        # `Name: value` up to the end of the line or a closing quote (curl's -H 'name: value').
        header_text = re.compile(rf"(?i)(?<![\w-])({alternatives})(\s*:\s*)([^'\"\r\n]*)")
        # Secret headers are secret JSON keys too (a HAR or report may hold headers as an object).
        keys = "|".join(re.escape(f) for f in sorted(fields | names, key=len, reverse=True))
        # "key": "string" or "key": number/true/false/null in JSON text; also 'key': '...' in Python reprs.
        field_text = re.compile(rf"""(?i)((["'])(?:{keys})\2\s*:\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?[\w.+-]+)""")
        object.__setattr__(self, "_header_names", names)
        object.__setattr__(self, "_field_names", fields)
        object.__setattr__(self, "_literal_text", literal_text)
        object.__setattr__(self, "_header_text", header_text)
        object.__setattr__(self, "_field_text", field_text)

    def with_secrets(self, *secrets: str | None) -> Redactor:
        """A copy that also masks these literal values (``None`` and empty values are ignored)."""
        extra = tuple(s for s in secrets if s)
        return Redactor(secrets=(*self.secrets, *extra), headers=self.headers, fields=self.fields, emails=self.emails)

    def is_secret_header(self, name: str) -> bool:
        """Whether a header of this name has its value masked."""
        return name.strip().lower() in self._header_names

    def _is_secret_key(self, key: str) -> bool:
        return key.lower() in self._field_names or self.is_secret_header(key)

    def text(self, value: str) -> str:
        """Mask every secret in free text: literals, ``Header: value`` pairs, JSON fields and emails."""
        if self._literal_text is not None:
            value = self._literal_text.sub(MASK, value)
        value = self._header_text.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", value)
        value = self._field_text.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}{m.group(2)}", value)
        if self.emails:
            value = _EMAIL.sub(EMAIL_MASK, value)
        return value

    def header_map(self, headers: Mapping[str, Any]) -> dict[str, Any]:
        """A copy of a header mapping with secret headers masked and other values redacted as text."""
        return {name: MASK if self.is_secret_header(name) else self.data(value) for name, value in headers.items()}

    def data(self, value: Any) -> Any:
        """A redacted deep copy of JSON-like data (dicts, lists, strings, numbers).

        Keys named in ``fields`` get their whole value masked; ``{"name": <secret header>, "value": ...}``
        pairs (HAR's header lists) get their value masked; every string is redacted as text.
        """
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            name = value.get("name")
            secret_pair = isinstance(name, str) and "value" in value and self.is_secret_header(name)
            out: dict[Any, Any] = {}
            for key, item in value.items():
                if (secret_pair and key == "value") or (isinstance(key, str) and self._is_secret_key(key)):
                    out[key] = MASK
                else:
                    out[self.text(key) if isinstance(key, str) else key] = self.data(item)
            return out
        if isinstance(value, list | tuple):
            return [self.data(item) for item in value]
        return value

    def lines(self, lines: Iterable[str]) -> list[str]:
        """Redact each line of an iterable of text lines."""
        return [self.text(line) for line in lines]


def _base64_fragments(value: str) -> set[str]:
    """What stands for ``value`` in any base64 text that encodes it, at each of the three byte alignments.

    A secret inside a longer encoded text (``Basic <base64 of user:key>``) starts at any byte offset, and
    only the characters made of its own bits are the same every time; those are the fragments.
    """
    raw = value.encode("utf-8")
    fragments: set[str] = set()
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw).decode("ascii")
        start, end = -(-8 * offset // 6), 8 * (offset + len(raw)) // 6
        for text in (encoded[start:end], encoded[start:end].replace("+", "-").replace("/", "_")):
            if len(text) >= _MIN_LITERAL:
                fragments.add(text)
    return fragments


def _literal_pattern(secrets: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for every form of the secrets: plain, URL- and JSON-escaped in any case, and base64."""
    plain: set[str] = set()
    encoded: set[str] = set()
    for secret in secrets:
        plain.update({secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1]})
        for variant in {secret, secret.lower(), secret.upper()}:
            encoded.update(_base64_fragments(variant))
    if not plain:
        return None
    # Letter case is ignored for the plain forms (a tenant may upper- or lower-case what it echoes), but
    # not for base64, where case carries the bits.
    alternatives = [f"(?i:{re.escape(p)})" for p in sorted(plain, key=len, reverse=True)]
    alternatives += [re.escape(e) for e in sorted(encoded, key=len, reverse=True)]
    return re.compile("|".join(alternatives))
