"""SP104-SP108: what every operation must declare for the contract runner and the reports to use it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .catalog import SpecViolation, spec_check
from .document import SpecDocument
from .walk import deref, operations

__all__ = [
    "missing_operation_id",
    "missing_success_schema",
    "missing_summary",
    "undeclared_401",
    "undeclared_429",
]


def _lacking(document: SpecDocument, key: str) -> Iterator[SpecViolation]:
    # Blank text counts as missing: it labels nothing.
    for operation in operations(document):
        value = operation.data.get(key)
        if not (isinstance(value, str) and value.strip()):
            yield SpecViolation(f"{operation.label} has no {key}", operation.pointer, operation.label)


@spec_check("SP104", name="missing-operation-id")
def missing_operation_id(document: SpecDocument) -> Iterator[SpecViolation]:
    """An operation has no `operationId`.

    ## Why is this bad?
    Links (`operationId: getJobStatus`), the compliance matrix and `--operation` filters name operations
    by id. Without one an operation cannot be the target of a stateful link, and its findings are
    labelled only by method and path, which change when a path is renamed.

    ## Example
    ```yaml
    /v1/ant/es/job/status/{jobId}:
      get:
        summary: Read the status of a bulk job
    ```
    Use instead:
    ```yaml
    /v1/ant/es/job/status/{jobId}:
      get:
        operationId: getJobStatus
        summary: Read the status of a bulk job
    ```
    """
    yield from _lacking(document, "operationId")


@spec_check("SP105", name="missing-summary")
def missing_summary(document: SpecDocument) -> Iterator[SpecViolation]:
    """An operation has no `summary`.

    ## Why is this bad?
    The summary is the one line that reports, the HTML report's tables and generated docs show for the
    operation; without it readers see a bare path.

    ## Example
    ```yaml
    post:
      operationId: saveActivity
    ```
    Use instead:
    ```yaml
    post:
      operationId: saveActivity
      summary: Save activities synchronously
    ```
    """
    yield from _lacking(document, "summary")


@spec_check("SP106", name="missing-success-schema")
def missing_success_schema(document: SpecDocument) -> Iterator[SpecViolation]:
    """An operation has no 2xx response with a body schema.

    ## Why is this bad?
    The contract runner checks each successful answer against its schema. An operation whose success
    response has no schema passes whatever the server sends, so a broken answer goes unnoticed.

    ## Example
    ```yaml
    responses:
      "200":
        description: Saved
    ```
    Use instead:
    ```yaml
    responses:
      "200":
        description: Saved
        content:
          application/json:
            schema: {$ref: "#/components/schemas/SaveResponse"}
    ```
    """
    for operation in operations(document):
        responses = operation.data.get("responses")
        if not isinstance(responses, dict):
            yield SpecViolation(f"{operation.label} declares no responses", operation.pointer, operation.label)
            continue
        successes = [str(code) for code in responses if str(code).startswith("2")]
        if not any(_has_schema(deref(document, responses[code])) for code in successes):
            where = f"{operation.pointer}/responses"
            wanted = "2xx response" if not successes else "body schema in its 2xx responses"
            yield SpecViolation(f"{operation.label} has no {wanted}", where, operation.label)


def _has_schema(response: Any) -> bool:
    content = response.get("content") if isinstance(response, dict) else None
    if not isinstance(content, dict):
        return False
    return any(isinstance(media, dict) and "schema" in media for media in content.values())


def _declares(document: SpecDocument, status: str, why: str) -> Iterator[SpecViolation]:
    for operation in operations(document):
        responses = operation.data.get("responses")
        if isinstance(responses, dict) and status not in {str(code) for code in responses}:
            yield SpecViolation(
                f"{operation.label} does not declare a {status} response ({why})",
                f"{operation.pointer}/responses" if responses else operation.pointer,
                operation.label,
            )


@spec_check("SP107", name="undeclared-401")
def undeclared_401(document: SpecDocument) -> Iterator[SpecViolation]:
    """An operation does not declare its 401 (missing or wrong access key) response.

    ## Why is this bad?
    Every Gainsight call needs the access key. Without a declared 401 the contract runner cannot check
    the error body a tenant sends for a bad key, and schemathesis reports the 401 as an undocumented
    status code.

    ## Example
    ```yaml
    responses:
      "200": {$ref: "#/components/responses/Saved"}
    ```
    Use instead:
    ```yaml
    responses:
      "200": {$ref: "#/components/responses/Saved"}
      "401": {$ref: "#/components/responses/Unauthorized"}
    ```
    """
    yield from _declares(document, "401", "missing or wrong access key")


@spec_check("SP108", name="undeclared-429")
def undeclared_429(document: SpecDocument) -> Iterator[SpecViolation]:
    """An operation does not declare its 429 (rate limit spent) response.

    ## Why is this bad?
    Every Gainsight API is rate limited (bulk saves to a handful of calls an hour). Clients must see that
    a 429 with `Retry-After` can come back, and the contract runner checks its shape against the mock
    started with a tight limit.

    ## Example
    ```yaml
    responses:
      "200": {$ref: "#/components/responses/JobTicket"}
      "401": {$ref: "#/components/responses/Unauthorized"}
    ```
    Use instead:
    ```yaml
    responses:
      "200": {$ref: "#/components/responses/JobTicket"}
      "401": {$ref: "#/components/responses/Unauthorized"}
      "429": {$ref: "#/components/responses/TooManyRequests"}
    ```
    """
    yield from _declares(document, "429", "rate limit spent")
