"""The walks the spec checks share: operations, local ``$ref`` resolution, references and (sub)schemas.

They read a parsed :class:`~gscontract.speclint.document.SpecDocument` (or a part of its data), and the
iterators yield each thing they find with its JSON pointer, so a check can say where a problem is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from ..pointer import escape
from .document import SpecDocument

__all__ = [
    "HTTP_METHODS",
    "Operation",
    "deref",
    "iter_refs",
    "iter_schema_roots",
    "iter_subschemas",
    "operations",
    "resolve_ref",
]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Keywords whose value is one subschema, a list of them, or a map of them (JSON Schema 2020-12).
_SCHEMA_KEYWORDS = frozenset(
    {
        "items",
        "contains",
        "additionalProperties",
        "unevaluatedProperties",
        "unevaluatedItems",
        "propertyNames",
        "if",
        "then",
        "else",
        "not",
        "contentSchema",
    }
)
_SCHEMA_LIST_KEYWORDS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SCHEMA_MAP_KEYWORDS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of the spec: where it is and what it holds."""

    path: str
    method: str
    pointer: str
    data: dict[str, Any]

    @property
    def label(self) -> str:
        """``METHOD /path``, the name schemathesis and the reports give an operation."""
        return f"{self.method.upper()} {self.path}"


def operations(document: SpecDocument) -> Iterator[Operation]:
    """Every operation under ``paths``, in file order; odd shapes are skipped (validity reports them)."""
    paths = document.data.get("paths")
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield Operation(str(path), method, f"/paths/{escape(str(path))}/{method}", operation)


def resolve_ref(document: SpecDocument, ref: str) -> Any:
    """The value a local ``$ref`` (``#/...`` or ``#anchor``) designates.

    Raises:
        KeyError: the reference points outside the document or at nothing in it.
    """
    if not ref.startswith("#"):
        raise KeyError("it points outside the document (other files and URLs are not followed)")
    fragment = unquote(ref[1:])
    if fragment == "" or fragment.startswith("/"):
        return document.resolve(fragment)
    for _, schema in _all_schemas(document):
        if schema.get("$anchor") == fragment:
            return schema
    raise KeyError(f"no $anchor {fragment!r} in the document")


def deref(document: SpecDocument, value: Any, *, hops: int = 16) -> Any:
    """Follow ``$ref`` objects to what they designate; unresolvable ones come back as they are."""
    for _ in range(hops):
        if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
            return value
        try:
            value = resolve_ref(document, value["$ref"])
        except KeyError:
            return value
    return value


def iter_refs(node: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every ``$ref`` string as (pointer of the object holding it, reference), skipping literal values.

    Example values, defaults, constants, enums and extensions are data, so a ``$ref`` key inside them is
    not a reference. Maps whose keys are names (``properties``, ``responses``, ...) are walked by name.
    """
    yield from _iter_refs(node, pointer, names=False)


# Maps keyed by names rather than keywords: a key "default" there is a name, not the keyword.
_NAME_MAPS = frozenset(
    {
        *_SCHEMA_MAP_KEYWORDS,
        "paths",
        "responses",
        "content",
        "headers",
        "links",
        "callbacks",
        "encoding",
        "variables",
        "schemas",
        "parameters",
        "requestBodies",
        "securitySchemes",
        "pathItems",
        "webhooks",
        "mapping",
    }
)
_LITERAL_KEYS = frozenset({"example", "default", "const", "enum"})


def _iter_refs(node: Any, pointer: str, *, names: bool) -> Iterator[tuple[str, str]]:
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _iter_refs(item, f"{pointer}/{index}", names=False)
        return
    if not isinstance(node, dict):
        return
    if not names and isinstance(node.get("$ref"), str):
        yield pointer, node["$ref"]
    for key, value in node.items():
        key = str(key)
        child = f"{pointer}/{escape(key)}"
        if not names:
            if key.startswith("x-") or key in _LITERAL_KEYS or key == "$ref":
                continue
            if key == "examples":
                yield from _example_refs(value, child)
                continue
            if key in ("requestBody", "parameters") and _is_link(pointer):
                continue  # a link's values are runtime expressions or constants
        yield from _iter_refs(value, child, names=not names and key in _NAME_MAPS)


def _is_link(pointer: str) -> bool:
    return re.search(r"/links/[^/]+$", pointer) is not None


def _example_refs(value: Any, pointer: str) -> Iterator[tuple[str, str]]:
    # A map of Example Objects (only their own $ref counts), or a schema's array of literal examples.
    if isinstance(value, dict):
        for name, example in value.items():
            if isinstance(example, dict) and isinstance(example.get("$ref"), str):
                yield f"{pointer}/{escape(str(name))}", example["$ref"]


def iter_schema_roots(document: SpecDocument) -> Iterator[tuple[str, Any]]:
    """Every top-level schema (``components/schemas/*`` and each ``schema`` of a parameter, header or media type)."""
    components = document.data.get("components")
    if isinstance(components, dict) and isinstance(components.get("schemas"), dict):
        for name, schema in components["schemas"].items():
            yield f"/components/schemas/{escape(str(name))}", schema
    yield from _schema_keys(document.data, "")


def _schema_keys(node: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _schema_keys(item, f"{pointer}/{index}")
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        key = str(key)
        child = f"{pointer}/{escape(key)}"
        if key.startswith("x-") or key in ("example", "examples") or (pointer == "/components" and key == "schemas"):
            continue
        if key == "schema":
            yield child, value
        elif not (key in ("requestBody", "parameters") and _is_link(pointer)):
            yield from _schema_keys(value, child)


def iter_subschemas(schema: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """The schema and every schema nested in it by a JSON Schema keyword, each with its pointer."""
    if not isinstance(schema, dict):
        return
    yield pointer, schema
    for key, value in schema.items():
        child = f"{pointer}/{escape(str(key))}"
        if key in _SCHEMA_KEYWORDS:
            yield from iter_subschemas(value, child)
        elif key in _SCHEMA_LIST_KEYWORDS and isinstance(value, list):
            for index, item in enumerate(value):
                yield from iter_subschemas(item, f"{child}/{index}")
        elif key in _SCHEMA_MAP_KEYWORDS and isinstance(value, dict):
            for name, item in value.items():
                yield from iter_subschemas(item, f"{child}/{escape(str(name))}")


def _all_schemas(document: SpecDocument) -> Iterator[tuple[str, dict[str, Any]]]:
    for pointer, root in iter_schema_roots(document):
        yield from iter_subschemas(root, pointer)
