"""A bounded name for a GraphQL operation, for metric labels and logs.

Clients choose operation names and aliases freely, so neither may become a label. The label is
the operation's type and its root field as the schema names it (`query cases`,
`mutation makeApplication`), `query (several)` when it asks for more than one, `invalid` when
it does not parse: at most a few hundred values, fixed by the schema.
"""

from __future__ import annotations

from functools import lru_cache

from graphql import FieldNode, GraphQLError, GraphQLSchema, OperationDefinitionNode, parse

MAX_TOKENS = 2000  # as the schema's own limit: a longer document is refused anyway


def root_fields(schema: GraphQLSchema) -> frozenset[str]:
    """Every label a valid operation can have: `query cases`, ... (and introspection's)."""
    labels = {"query __schema", "query __type", "query __typename",
              "mutation __typename"}
    for kind, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        labels.update(f"{kind} {name}" for name in (root.fields if root else {}))
    return frozenset(labels)


@lru_cache(maxsize=256)  # documents up to the body limit: bounded memory
def operation_label(query: str | None, operation_name: str | None,
                    known: frozenset[str]) -> tuple[str, str | None]:
    """The label, and the operation's own name (if it has one)."""
    if not query:
        return "invalid", None
    try:
        document = parse(query, no_location=True, max_tokens=MAX_TOKENS)
    except GraphQLError:
        return "invalid", None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        return "invalid", None
    operation = operations[0]
    name = operation.name.value if operation.name else None
    fields = {s.name.value for s in operation.selection_set.selections
              if isinstance(s, FieldNode)}
    kind = operation.operation.value
    if len(fields) == 1:
        label = f"{kind} {fields.pop()}"
        return (label if label in known else f"{kind} (unknown field)"), name
    return (f"{kind} (several)" if fields else f"{kind} (fragments)"), name
