"""SP109: every example in the document is valid against the schema it illustrates."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from ..pointer import escape, to_pointer
from .catalog import SpecViolation, spec_check
from .document import SpecDocument
from .walk import iter_schema_roots, iter_subschemas, resolve_ref

__all__ = ["ExampleSite", "example_sites", "invalid_example"]

# The document is registered under this URI so that each schema's local `$ref`s resolve against it.
_BASE = "urn:gscontract:spec"
_MAX_MESSAGE = 240


@dataclass(frozen=True, slots=True)
class ExampleSite:
    """One example value and the schema it must satisfy, both located by pointer."""

    schema_pointer: str
    value_pointer: str
    value: Any


def example_sites(document: SpecDocument) -> Iterator[ExampleSite]:
    """Every example of the document: of media types, parameters and headers, and inside schemas.

    Example Objects given by ``$ref`` are followed (the value is located in the component); examples
    with only an ``externalValue`` are skipped.
    """
    for schema_pointer, schema in iter_schema_roots(document):
        if not schema_pointer.startswith("/components/schemas/"):
            # A parameter, header or media type: its examples sit next to its `schema`.
            yield from _holder_examples(document, schema_pointer.removesuffix("/schema"), schema_pointer)
        for pointer, subschema in iter_subschemas(schema, schema_pointer):
            if isinstance(subschema.get("examples"), list):
                for index, value in enumerate(subschema["examples"]):
                    yield ExampleSite(pointer, f"{pointer}/examples/{index}", value)
            if "example" in subschema:
                yield ExampleSite(pointer, f"{pointer}/example", subschema["example"])


def _holder_examples(document: SpecDocument, holder_pointer: str, schema_pointer: str) -> Iterator[ExampleSite]:
    holder = document.resolve(holder_pointer)
    if "example" in holder:
        yield ExampleSite(schema_pointer, f"{holder_pointer}/example", holder["example"])
    examples = holder.get("examples")
    if not isinstance(examples, dict):
        return
    for name, example in examples.items():
        pointer = f"{holder_pointer}/examples/{escape(str(name))}"
        if isinstance(example, dict) and isinstance(example.get("$ref"), str):
            ref = example["$ref"]
            try:
                example = resolve_ref(document, ref)
            except KeyError:
                continue  # SP103 reports it
            pointer = ref[1:] if ref.startswith("#/") else pointer
        if isinstance(example, dict) and "value" in example:
            yield ExampleSite(schema_pointer, f"{pointer}/value", example["value"])


@spec_check("SP109", name="invalid-example")
def invalid_example(document: SpecDocument) -> Iterator[SpecViolation]:
    """An `example` or `examples` value does not validate against its schema.

    ## Why is this bad?
    Examples are what people copy, and schemathesis sends them as test cases. An example that breaks
    its own schema teaches the wrong payload and makes the contract run fail for the spec's fault, not
    the server's. Values are checked with JSON Schema Draft 2020-12, formats included (`date-time`,
    `date`, `uuid`, ...), with `$ref`s resolved within the document. The finding points into the
    example at the offending value.

    ## Example
    ```yaml
    schema: {$ref: "#/components/schemas/JobState"}
    example: DONE
    ```
    Use instead:
    ```yaml
    schema: {$ref: "#/components/schemas/JobState"}
    example: COMPLETED
    ```
    """
    import jsonschema
    from jsonschema.exceptions import SchemaError, UnknownType, best_match
    from referencing import Registry, Resource
    from referencing.exceptions import Unresolvable
    from referencing.jsonschema import DRAFT202012

    registry: Registry[Any] = Registry().with_resource(
        _BASE, Resource.from_contents(document.data, default_specification=DRAFT202012)
    )
    validators: dict[str, jsonschema.Draft202012Validator] = {}
    for site in example_sites(document):
        validator = validators.get(site.schema_pointer)
        if validator is None:
            reference = {"$ref": f"{_BASE}#{quote(site.schema_pointer, safe='/~')}"}
            validator = jsonschema.Draft202012Validator(
                reference, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
            )
            validators[site.schema_pointer] = validator
        try:
            errors = list(validator.iter_errors(site.value))
        except Unresolvable:
            continue  # a dangling $ref in the schema: SP103 reports it in place
        except (SchemaError, UnknownType, re.error) as exc:
            reason = str(exc).strip().splitlines()[0]
            yield SpecViolation(f"cannot check this example, its schema is broken: {reason}", site.value_pointer)
            continue
        if not errors:
            continue
        best = best_match(errors)
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        message = best.message if len(best.message) <= _MAX_MESSAGE else best.message[: _MAX_MESSAGE - 3] + "..."
        pointer = site.value_pointer + to_pointer(str(part) for part in best.absolute_path)
        yield SpecViolation(f"example does not match its schema: {message}{more}", pointer)
