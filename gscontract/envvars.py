"""``${NAME}`` in configuration values: taken from the environment, and never echoed back.

A CI job keeps its tenant's URL or tenant file out of the repository the way schemathesis' own
configuration does: ``base_url = "${GAINSIGHT_URL}"`` in ``[tool.gscontract]``. Every string value
(inside lists and tables too; table keys, which are globs, are left alone) has each ``${NAME}``
replaced by that variable's value. A variable that is not set is a configuration error naming the key.
A value that came from the environment may be a secret, so an error about it shows the ``${NAME}``
it was written as, never what it expanded to.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from .errors import ConfigError

__all__ = ["Expanded", "expand_env"]

_REFERENCE: Final = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True, slots=True)
class Expanded:
    """A table with its references expanded, and what each expanded value was written as."""

    table: dict[str, Any]
    written: dict[str, str] = field(default_factory=dict)
    """Expanded value -> the text of the file it came from (``${GAINSIGHT_URL}``)."""

    def hide(self, message: str) -> str:
        """``message`` with every expanded value put back as it was written (longest first)."""
        for value in sorted(self.written, key=len, reverse=True):
            if value:
                message = message.replace(repr(value)[1:-1], self.written[value]).replace(value, self.written[value])
        return message


def _expand(value: Any, key: str, where: str, written: dict[str, str]) -> Any:
    if isinstance(value, str):
        if "${" not in value:
            return value

        def lookup(match: re.Match[str]) -> str:
            name = match.group(1)
            found = os.environ.get(name)
            if found is None:
                raise ConfigError(f"{where}: '{key}': environment variable {name} is not set (written as ${{{name}}})")
            return found

        expanded = _REFERENCE.sub(lookup, value)
        if expanded != value:
            written[expanded] = value
        return expanded
    if isinstance(value, list):
        return [_expand(item, key, where, written) for item in value]
    if isinstance(value, Mapping):
        return {k: _expand(v, key, where, written) for k, v in value.items()}
    return value


def expand_env(table: Mapping[str, Any], where: str) -> Expanded:
    """Expand ``${NAME}`` in every string value of ``table``.

    Raises:
        ConfigError: a referenced variable is not set (the message names the key and the variable).
    """
    written: dict[str, str] = {}
    expanded = {key: _expand(value, key, where, written) for key, value in table.items()}
    return Expanded(expanded, written)
