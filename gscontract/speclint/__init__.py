"""Spec lint: checks that the OpenAPI documents driving the suite are valid, complete and self-consistent.

``gscontract specs lint`` runs every registered check over each spec file and reports findings with
the file's line and column and a JSON pointer, in a report's ``specs`` section. Checks:

======  =========================  ==============================================================
SP101   unreadable-spec            the file is not YAML, or not a mapping
SP102   invalid-openapi            openapi-spec-validator rejects the document
SP103   unresolved-ref             a ``$ref`` leads nowhere, or outside the document
SP104   missing-operation-id       an operation has no ``operationId``
SP105   missing-summary            an operation has no ``summary``
SP106   missing-success-schema     no 2xx response with a body schema
SP107   undeclared-401             no 401 response
SP108   undeclared-429             no 429 response
SP109   invalid-example            an example breaks its schema (Draft 2020-12)
SP110   unused-component           a component nothing refers to
======  =========================  ==============================================================
"""

from __future__ import annotations

from .catalog import CHECKS, SpecCheck, SpecViolation, get_check, spec_check
from .document import SpecDocument, SpecSyntaxError, parse_spec
from .linter import SPEC_KIND, expand_spec_paths, lint_document, lint_spec_paths, lint_spec_text

__all__ = [
    "CHECKS",
    "SPEC_KIND",
    "SpecCheck",
    "SpecDocument",
    "SpecSyntaxError",
    "SpecViolation",
    "expand_spec_paths",
    "get_check",
    "lint_document",
    "lint_spec_paths",
    "lint_spec_text",
    "parse_spec",
    "spec_check",
]

# Imported for registration; the order here is the order checks run in.
from . import validity, refs, operation_checks, examples  # noqa: F401, I001
