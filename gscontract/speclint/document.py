"""A parsed OpenAPI file that remembers where each value sits, and the walks the spec checks share.

YAML is composed once: the node tree gives every value's line and column (keyed by JSON pointer), and
the same tree is constructed into plain data. A value's position is the start of its key (or of the
item, in a list), which is where an editor should jump for a finding about it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from ..pointer import escape, parse_pointer, resolve
from ..specfiles import spec_loader

__all__ = [
    "HTTP_METHODS",
    "Operation",
    "SpecDocument",
    "SpecSyntaxError",
    "iter_refs",
    "iter_schema_roots",
    "iter_subschemas",
    "operations",
    "parse_spec",
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


class SpecSyntaxError(Exception):
    """The file is not a YAML (or JSON) mapping; carries the 1-based position of the problem."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True, slots=True)
class SpecDocument:
    """One spec file: its parsed data and the 1-based (line, column) of each value by JSON pointer."""

    name: str
    data: dict[str, Any]
    marks: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    def locate(self, pointer: str) -> tuple[int | None, int | None]:
        """The position of the value at ``pointer``, or of its nearest ancestor that has one."""
        tokens = parse_pointer(pointer) if pointer else []
        while True:
            here = "".join("/" + escape(t) for t in tokens)
            if here in self.marks:
                return self.marks[here]
            if not tokens:
                return None, None
            tokens.pop()

    def resolve(self, pointer: str) -> Any:
        """The value at ``pointer``.

        Raises:
            KeyError: nothing is there.
        """
        return resolve(self.data, pointer)


def parse_spec(text: str, name: str) -> SpecDocument:
    """Parse a spec's text, keeping the position of every value.

    Raises:
        SpecSyntaxError: the text is not YAML, or its top level is not a mapping.
    """
    loader = spec_loader()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SpecSyntaxError("the file is empty")
        data = _string_keys(loader.construct_document(node))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        raise SpecSyntaxError(f"not valid YAML: {problem}", line, column) from None
    except yaml.YAMLError as exc:
        raise SpecSyntaxError(f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise SpecSyntaxError(
            "an OpenAPI document must be a mapping at the top level",
            node.start_mark.line + 1,
            node.start_mark.column + 1,
        )
    marks: dict[str, tuple[int, int]] = {"": (node.start_mark.line + 1, node.start_mark.column + 1)}
    _collect_marks(node, "", marks)
    return SpecDocument(name=name, data=data, marks=marks)


def _string_keys(value: Any) -> Any:
    # JSON (and so OpenAPI) keys are strings; YAML reads an unquoted `200:` as the integer 200.
    if isinstance(value, dict):
        return {k if isinstance(k, str) else str(k): _string_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_string_keys(v) for v in value]
    return value


def _collect_marks(node: yaml.Node, pointer: str, marks: dict[str, tuple[int, int]]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            child = f"{pointer}/{escape(str(key_node.value))}"
            marks.setdefault(child, (key_node.start_mark.line + 1, key_node.start_mark.column + 1))
            _collect_marks(value_node, child, marks)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = f"{pointer}/{index}"
            marks[child] = (item.start_mark.line + 1, item.start_mark.column + 1)
            _collect_marks(item, child, marks)


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


def read_spec(path: Path) -> SpecDocument:
    """Read and parse a spec file.

    Raises:
        OSError: the file cannot be read.
        SpecSyntaxError: it is not a YAML mapping (undecodable bytes count as bad YAML).
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecSyntaxError(f"not UTF-8 text (byte {exc.start})") from None
    return parse_spec(text, str(path))
