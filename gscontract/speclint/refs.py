"""SP103 and SP110: every ``$ref`` leads somewhere in the document, and every component is used."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from ..pointer import escape
from .catalog import SpecViolation, spec_check
from .document import SpecDocument
from .walk import iter_refs, operations, resolve_ref

__all__ = ["unresolved_ref", "unused_component"]


@spec_check("SP103", name="unresolved-ref")
def unresolved_ref(document: SpecDocument) -> Iterator[SpecViolation]:
    """A `$ref` points at nothing in the document, or outside it.

    ## Why is this bad?
    A dangling reference makes loaders fail (schemathesis stops at it) or, worse, quietly treat the
    schema as "anything goes". gscontract's specs are single files, so a reference to another file or a
    URL is reported too: it is never fetched, and the mock and the runner would not find it.

    ## Example
    ```yaml
    schema:
      $ref: "#/components/schemas/ActivityInsertRequst"
    ```
    Use instead:
    ```yaml
    schema:
      $ref: "#/components/schemas/ActivityInsertRequest"
    ```
    """
    for pointer, ref in iter_refs(document.data):
        try:
            resolve_ref(document, ref)
        except KeyError as exc:
            reason = exc.args[0] if exc.args else "it leads nowhere"
            yield SpecViolation(f"$ref {ref!r} does not resolve: {reason}", f"{pointer}/$ref")


# A component section and how the rest of the document uses its entries: by $ref, or (security
# schemes) by name in a security requirement.
_REFERENCED_SECTIONS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "links",
    "callbacks",
    "pathItems",
)


@spec_check("SP110", name="unused-component")
def unused_component(document: SpecDocument) -> Iterator[SpecViolation]:
    """A component is defined but nothing outside the unused components refers to it.

    ## Why is this bad?
    An unused schema or response looks authoritative but constrains nothing: readers take it for part of
    the contract, and it drifts from the operations that really are. Components used only by other unused
    components count as unused too. A security scheme is used when a `security` requirement names it.

    ## Example
    ```yaml
    components:
      schemas:
        LegacyActivity: {type: object}
    ```
    Use instead: refer to it from an operation, or delete it.
    """
    components = document.data.get("components")
    if not isinstance(components, dict):
        return
    defined = {
        f"/components/{section}/{escape(str(name))}"
        for section in _REFERENCED_SECTIONS
        if isinstance(components.get(section), dict)
        for name in components[section]
    }
    used = _reachable(document, defined)
    for pointer in sorted(defined - used, key=lambda p: document.locate(p)[0] or 0):
        section, _, name = pointer.removeprefix("/components/").partition("/")
        yield SpecViolation(f"component {name!r} in {section} is never referenced", pointer)
    yield from _unused_security_schemes(document, components)


def _reachable(document: SpecDocument, defined: set[str]) -> set[str]:
    # References made outside the components are roots; follow them through the components they reach.
    edges: dict[str, set[str]] = {}
    roots: set[str] = set()
    for holder, ref in iter_refs(document.data):
        target = _component_of(_local_pointer(ref), defined)
        if target is None:
            continue
        source = _component_of(holder, defined)
        if source is None:
            roots.add(target)
        else:
            edges.setdefault(source, set()).add(target)
    used: set[str] = set()
    pending = list(roots)
    while pending:
        current = pending.pop()
        if current in used:
            continue
        used.add(current)
        pending.extend(edges.get(current, ()))
    return used


def _local_pointer(ref: str) -> str:
    return unquote(ref[1:]) if ref.startswith("#/") else ""


def _component_of(pointer: str, defined: set[str]) -> str | None:
    # "/components/schemas/A/properties/b" belongs to the component "/components/schemas/A".
    parts = pointer.split("/")
    if len(parts) >= 4 and parts[1] == "components":
        candidate = "/".join(parts[:4])
        if candidate in defined:
            return candidate
    return None


def _unused_security_schemes(document: SpecDocument, components: dict[str, Any]) -> Iterator[SpecViolation]:
    schemes = components.get("securitySchemes")
    if not isinstance(schemes, dict):
        return
    named: set[str] = set()
    for requirements in _security_requirements(document):
        if isinstance(requirements, list):
            for requirement in requirements:
                if isinstance(requirement, dict):
                    named.update(str(name) for name in requirement)
    for name in schemes:
        if str(name) not in named:
            pointer = f"/components/securitySchemes/{escape(str(name))}"
            yield SpecViolation(f"security scheme {name!r} is not named by any security requirement", pointer)


def _security_requirements(document: SpecDocument) -> Iterator[Any]:
    yield document.data.get("security")
    for operation in operations(document):
        yield operation.data.get("security")
