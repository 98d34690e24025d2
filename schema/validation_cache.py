"""Validation results kept per parsed document, found by the document's identity.

strawberry's `ValidationCache` keys an LRU cache by the document, and a document's hash walks
its whole syntax tree (graphql-core's nodes are frozen dataclasses, their hash not kept): ~0.3 ms
a request for a timeline selecting every event type's details, a sixth of what the rest of its
execution costs. The parser cache hands every request sending the same text the same document
object, so its identity finds the same result: validation is a function of the schema, the
document and the rules only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from strawberry.extensions.base_extension import SchemaExtension
from strawberry.schema.schema import validate_document

MAXSIZE = 256  # documents, as the parser cache keeps
#: (schema id, document id, rules) -> (the schema, the document, its errors); an entry holds
#: its schema and document, so their ids are not reused while it is kept
_RESULTS: dict[tuple[Any, ...], tuple[Any, Any, list[Any]]] = {}


class DocumentValidationCache(SchemaExtension):
    """The validation errors of a document already validated, else validated now and kept
    (the oldest entry leaves when `MAXSIZE` are kept)."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        schema, document = context.schema._schema, context.graphql_document
        rules = tuple(context.validation_rules)
        key = (id(schema), id(document), rules)
        found = _RESULTS.get(key)
        if found is not None and found[0] is schema and found[1] is document:
            errors = found[2]
        else:
            errors = validate_document(schema, document, rules)  # type: ignore[arg-type]
            while len(_RESULTS) >= MAXSIZE:
                _RESULTS.pop(next(iter(_RESULTS)), None)
            _RESULTS[key] = (schema, document, errors)
        context.pre_execution_errors = errors
        yield
