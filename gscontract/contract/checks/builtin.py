"""schemathesis' built-in checks that a contract run enables, registered under ids of their own (CT3xx).

Each keeps schemathesis' name (``not_a_server_error``) as its ``engine_name``, so a finding
says both which of our checks failed and which schemathesis check found it. The run enables exactly these
(``object_level_authorization`` needs two identities, which a Gainsight tenant does not give one key).
"""

from __future__ import annotations

from ...findings import Severity
from . import CHECKS, CheckKind, ContractCheck, check_named_by_engine, register

__all__ = ["builtin_for", "builtin_names"]

_BUILTINS: tuple[tuple[str, str, str], ...] = (
    (
        "CT301",
        "not_a_server_error",
        """No response is a server error (5xx).

        ## Why
        A 5xx on any input, valid or not, is a bug of the tenant; clients cannot tell whether to retry.
        """,
    ),
    (
        "CT302",
        "status_code_conformance",
        """Every status code is one the spec documents for the operation.

        ## Why
        The contract lists the answers a client must handle (docs/decisions.md#status-codes-and-record-failures: 200,
        400, 401, 413, 429);
        an undocumented status is one it was never written for.
        """,
    ),
    (
        "CT303",
        "content_type_conformance",
        """Every response has a content type the spec documents (JSON).

        ## Why
        Clients parse the body by its declared type; an HTML error page in place of JSON breaks them.
        """,
    ),
    (
        "CT304",
        "response_schema_conformance",
        """Every response body matches the schema the spec gives for its status code.

        ## Why
        The response schemas are what client code is written against: a missing key or a wrong type
        is a breaking change.
        """,
    ),
    (
        "CT305",
        "response_headers_conformance",
        """Response headers the spec declares are present and well formed (Retry-After, X-RateLimit-*).

        ## Why
        Clients pace themselves by the rate-limit headers; a missing or malformed one defeats that.
        """,
    ),
    (
        "CT306",
        "negative_data_rejection",
        """A request that breaks the spec's envelope schema is rejected with a 4xx.

        ## Why
        Accepting what the contract forbids hides client bugs until production. Switched off for saves
        and updates, whose record-level problems answer 200 with failures
        (docs/decisions.md#status-codes-and-record-failures; CT202 checks
        those). Against a live tenant an accepted invalid request is a warning unless it breaks a limit
        the documents state (docs/decisions.md#status-codes-and-record-failures).
        """,
    ),
    (
        "CT307",
        "positive_data_acceptance",
        """A request valid under the spec is accepted (2xx): an error on the mock, a warning on a tenant.

        ## Why
        A valid request that the tenant refuses means the spec promises more than the tenant keeps, and
        clients written against the spec break. gscontract's mock runs the validator's rules and the
        spec's request schemas, which are kept in agreement (a rule that cannot be written in JSON Schema,
        such as a reversed fetch-deleted range, is a warning there, not a refusal), so on the mock a
        refusal is a failure (docs/decisions.md#status-codes-and-record-failures). Against a live tenant (lenient) it is
        a warning, since the
        specs are gscontract's reading of the documents and real tenants are strict in their own ways.
        Valid records are checked to be accepted by CT201 and CT211.
        """,
    ),
    (
        "CT308",
        "ignored_auth",
        """Requests without the access key, or with a wrong one, are refused (401).

        ## Why
        An API that answers without its key leaks tenant data and accepts writes from anyone.
        """,
    ),
    (
        "CT309",
        "missing_required_header",
        """A request without a header the spec requires is refused (4xx).

        ## Why
        A required header ignored by the tenant means the spec and the tenant disagree on the request.
        """,
    ),
    (
        "CT310",
        "unsupported_method",
        """A method the spec does not list for a path is refused with 405.

        ## Why
        An undocumented method that does something is an undocumented API.
        """,
    ),
    (
        "CT311",
        "allow_header_conformance",
        """A 405 answer lists the methods the path supports in an ``Allow`` header.

        ## Why
        RFC 9110 requires it, and it tells a client what it should have called.
        """,
    ),
    (
        "CT312",
        "use_after_free",
        """A resource is gone after it was deleted (stateful phase).

        ## Why
        A deleted activity that can still be read or changed was not deleted.
        """,
    ),
    (
        "CT313",
        "ensure_resource_availability",
        """A resource is available right after it was created (stateful phase).

        ## Why
        A saved activity that cannot be read back was lost, or its id was wrong.
        """,
    ),
)

# Every built-in check is an error in strict mode (the mock); results.lenient_severity says which of them
# a lenient run (a live tenant) reports as warnings instead.
for _id, _name, _doc in _BUILTINS:
    if _id not in CHECKS:
        register(
            ContractCheck(
                id=_id,
                name=_name.replace("_", "-"),
                kind=CheckKind.BUILTIN,
                doc=_doc,
                severity=Severity.ERROR,
                engine_name=_name,
            )
        )


def builtin_names() -> list[str]:
    """Schemathesis names of the built-in checks a run enables."""
    return [name for _, name, _ in _BUILTINS]


def builtin_for(name: str) -> ContractCheck | None:
    """Our registered check for a schemathesis check name, if the run enables it."""
    check = check_named_by_engine(name)
    return check if check is not None and check.kind is CheckKind.BUILTIN else None
