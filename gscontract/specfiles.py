"""Where the bundled OpenAPI specs live, in a checkout and in an installed wheel, and how to load them.

The specs are kept at the top of the repository (``specs/``). A wheel carries a copy inside the package
(``gscontract/_specs/``, see ``force-include`` in pyproject.toml); that copy wins when it exists, so an
installed gscontract never reads a stray ``specs/`` folder next to ``site-packages``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from .errors import SpecError

__all__ = ["SPEC_NAMES", "load_spec", "spec_loader", "spec_path", "specs_dir"]

SPEC_NAMES: tuple[str, ...] = ("timeline", "events", "events-framework")

_PACKAGE_DIR = Path(__file__).resolve().parent


def specs_dir() -> Path:
    """The folder holding the bundled specs: the wheel's ``_specs`` if present, else the checkout's ``specs``."""
    bundled = _PACKAGE_DIR / "_specs"
    if bundled.is_dir():
        return bundled
    return _PACKAGE_DIR.parent / "specs"


def spec_path(name: str) -> Path:
    """The file of the bundled spec ``name`` (``"timeline"``, ``"events"`` or ``"events-framework"``).

    Raises:
        SpecError: the name is unknown, or the file is not where the package expects it.
    """
    if name not in SPEC_NAMES:
        raise SpecError(f"unknown spec {name!r}; choose from {', '.join(SPEC_NAMES)}")
    path = specs_dir() / f"{name}.openapi.yaml"
    if not path.is_file():
        raise SpecError(f"{path}: bundled {name} spec is missing (is gscontract installed completely?)")
    return path


@functools.cache
def spec_loader() -> type[Any]:
    """A PyYAML safe loader that reads specs as JSON-minded tools (schemathesis among them) do.

    PyYAML follows YAML 1.1: it turns an unquoted ``2022-07-01`` into a date and ``on``/``yes``/``no``
    into booleans, so an example or an enum would not be the JSON value its author meant. This loader
    keeps such scalars as strings and reads only ``true``/``false`` as booleans (YAML 1.2).
    """
    # Imported here so that `gscontract validate`, which never needs a spec, does not pay for PyYAML.
    import re

    import yaml

    loader: type[yaml.SafeLoader] = type("SpecLoader", (yaml.SafeLoader,), {})
    loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_TIMESTAMP, _BOOL)]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    return loader


_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"


@functools.cache
def _load(path: Path) -> dict[str, Any]:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
        document = yaml.load(text, Loader=spec_loader())  # a SafeLoader subclass: no arbitrary objects
    except OSError as exc:
        raise SpecError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        raise SpecError(f"{path}{where}: not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(document, dict):
        raise SpecError(f"{path}: an OpenAPI document must be a mapping at the top level")
    return document


def load_spec(name: str) -> dict[str, Any]:
    """The parsed bundled spec ``name``; parsed once per process and shared, so treat it as read-only.

    Raises:
        SpecError: the spec is unknown, missing or not a YAML mapping.
    """
    return _load(spec_path(name))
