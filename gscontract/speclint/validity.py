"""SP101 and SP102: the file must be YAML, and the YAML must be a valid OpenAPI 3.1 document."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from ..findings import Severity
from ..pointer import escape, to_pointer
from .catalog import SpecCheck, SpecViolation, add_check, spec_check
from .document import SpecDocument

__all__ = ["UNREADABLE", "invalid_openapi"]

UNREADABLE = add_check(
    SpecCheck(
        id="SP101",
        name="unreadable-spec",
        severity=Severity.ERROR,
        doc="""The file is not YAML (or JSON), or its top level is not a mapping.

        ## Why is this bad?
        Nothing can load the spec: not the contract runner, not the mock tenant, not schemathesis. The
        finding gives the line and column where the parser stopped.

        ## Example
        ```yaml
        openapi: 3.1.0
        info: {title: Timeline, version: "1.0"
        ```
        Use instead:
        ```yaml
        openapi: 3.1.0
        info: {title: Timeline, version: "1.0"}
        ```
        """,
    )
)

# The project's specs are OpenAPI 3.1; other versions are validated by their own rules but flagged.
_WANTED_VERSION = re.compile(r"^3\.1\.\d+$")
# Messages of openapi-spec-validator's operation-level errors name the operation this way.
_MAX_MESSAGE = 240
_OPERATION_IN_MESSAGE = re.compile(r"for '(?P<method>[a-z]+)'(?: operation)? in '(?P<path>[^']+)'")


@spec_check("SP102", name="invalid-openapi")
def invalid_openapi(document: SpecDocument) -> Iterator[SpecViolation]:
    """The document breaks the OpenAPI 3.1 specification (as openapi-spec-validator reads it).

    ## Why is this bad?
    Tools disagree about what an invalid document means: schemathesis may refuse it or guess, and a
    generated client may drop the broken part silently. Each error is reported at the value it concerns.
    References to other files or URLs are not fetched (see SP103).

    ## Example
    ```yaml
    paths:
      /v1/ant/es/activity:
        post:
          responses: []
    ```
    Use instead:
    ```yaml
    paths:
      /v1/ant/es/activity:
        post:
          responses:
            "200": {description: Saved}
    ```
    """
    from openapi_spec_validator import OpenAPIV31SpecValidator
    from openapi_spec_validator.shortcuts import get_validator_cls
    from openapi_spec_validator.validation.exceptions import ValidatorDetectError
    from referencing.exceptions import Unresolvable

    version = document.data.get("openapi")
    if isinstance(version, str) and not _WANTED_VERSION.match(version):
        yield SpecViolation(f"gscontract specs are OpenAPI 3.1.x, this one says {version!r}", "/openapi")
    try:
        cls = get_validator_cls(document.data)
    except (ValidatorDetectError, KeyError):
        cls = OpenAPIV31SpecValidator
    # No resolver handlers: a reference to a file or URL is never fetched (no network during lint).
    offline = type(f"Offline{cls.__name__}", (cls,), {"resolver_handlers": {}})
    try:
        for error in offline(document.data).iter_errors():
            yield _violation(document, error)
    except Unresolvable:
        # The validator stops at the first reference it cannot follow; SP103 reports each one in place.
        return


def _violation(document: SpecDocument, error: Any) -> SpecViolation:
    error = _deepest(error)
    message = str(getattr(error, "message", error)).strip().splitlines()[0]
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 3] + "..."
    return SpecViolation(message, _pointer_of(document, error))


def _deepest(error: Any) -> Any:
    # anyOf/oneOf failures hold their branches' errors; the deepest one names the actual mistake.
    context = list(getattr(error, "context", None) or ())
    if not context:
        return error
    best = max(context, key=lambda e: len(getattr(e, "absolute_path", ()) or ()))
    if len(best.absolute_path) > len(error.absolute_path):
        return _deepest(best)
    return error


def _pointer_of(document: SpecDocument, error: Any) -> str:
    path = [str(p) for p in (getattr(error, "absolute_path", None) or ())]
    instance = getattr(error, "instance", None)
    pointer = to_pointer(path)
    try:
        if document.resolve(pointer) == instance:
            return pointer
    except KeyError:
        pass
    # Keyword validators check sub-schemas on their own, so the path is relative to one of them: find
    # the single place in the document where that relative path holds that value.
    if path:
        places = [p for p in _places_ending_with(document.data, path, "") if _value_at(document, p) == instance]
        if len(places) == 1:
            return places[0]
    found = _OPERATION_IN_MESSAGE.search(str(getattr(error, "message", "")))
    if found:
        return f"/paths/{escape(found['path'])}/{found['method']}"
    return pointer if _exists(document, pointer) else ""


def _places_ending_with(node: Any, suffix: Sequence[str], pointer: str) -> Iterator[str]:
    if _exists_in(node, suffix):
        yield pointer + to_pointer(suffix)
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in children:
        yield from _places_ending_with(value, suffix, f"{pointer}/{escape(str(key))}")


def _exists_in(node: Any, path: Sequence[str]) -> bool:
    for token in path:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


def _value_at(document: SpecDocument, pointer: str) -> Any:
    return document.resolve(pointer)


def _exists(document: SpecDocument, pointer: str) -> bool:
    try:
        document.resolve(pointer)
    except KeyError:
        return False
    return True
