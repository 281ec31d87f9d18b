"""Lookups for JSON Lines files, which hold records only and so cannot carry a ``lookups`` object.

They come from ``--lookups FILE`` or the ``lookups`` key of ``[tool.gscontract]``: one file for every
JSON Lines file, or a table of glob = file like ``kinds``. A lookups file is a JSON object of lookups
(``{"GsCompanyId": {...}}``), or a whole body whose ``lookups`` member is one, so the lookups of an
existing ``.json`` upload can be reused as they are.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .patterns import first_match

__all__ = ["LookupsSource", "read_lookups"]


def read_lookups(path: Path) -> Mapping[str, Any]:
    """The lookups object a lookups file holds.

    Raises:
        UsageError: the file cannot be read, is not JSON, or holds no lookups object.
    """
    try:
        value = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the lookups file: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"{path}: the lookups file is not JSON: {exc}") from None
    if isinstance(value, dict) and isinstance(value.get("lookups"), dict):
        value = value["lookups"]
    if not isinstance(value, dict) or not all(isinstance(spec, dict) for spec in value.values()):
        raise UsageError(f'{path}: a lookups file holds an object of lookups ({{"GsCompanyId": {{...}}}})')
    return value


class LookupsSource:
    """Finds and reads, once each, the lookups files that apply to the JSON Lines files of one run."""

    def __init__(self, table: Mapping[str, str], root: Path | None) -> None:
        self._table = table
        self._root = root
        self._read: dict[Path, Mapping[str, Any]] = {}

    def for_file(self, path: str | Path) -> Mapping[str, Any] | None:
        """The lookups for a JSON Lines file, or ``None`` when none were given for it.

        Raises:
            UsageError: the lookups file that applies is broken.
        """
        found = first_match(self._table, path, self._root)
        if found is None:
            return None
        file = (self._root or Path.cwd()) / found[1]
        if file not in self._read:
            self._read[file] = read_lookups(file)
        return self._read[file]
