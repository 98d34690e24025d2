"""The schema documents itself: every type, field, argument, enum value and input field the
schema serves has a description (read from the schema as a client's introspection sees it)."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
)

from schema.build import schema


def undescribed(s: GraphQLSchema) -> list[str]:
    """Every element of `s` (outside GraphQL's own `__` types and scalars) without a
    description, by its coordinate (`Type.field(argument:)`)."""
    missing: list[str] = []
    for name, kind in s.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not kind.description:
            missing.append(name)
        if isinstance(kind, (GraphQLObjectType, GraphQLInterfaceType)):
            for field_name, field in kind.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing += [f"{name}.{field_name}({arg}:)" for arg, a in field.args.items()
                            if not a.description]
        elif isinstance(kind, GraphQLInputObjectType):
            missing += [f"{name}.{f}" for f, v in kind.fields.items() if not v.description]
        elif isinstance(kind, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in kind.values.items()
                        if not value.description]
        elif isinstance(kind, GraphQLUnionType):
            pass
    return missing


def test_every_element_of_the_schema_has_a_description() -> None:
    missing = undescribed(schema._schema)
    assert not missing, f"{len(missing)} elements without a description:\n" + "\n".join(missing)


def test_the_walk_finds_an_element_without_a_description() -> None:
    import strawberry

    @strawberry.type(description="Described.")
    class Query:
        bare: int

    assert undescribed(strawberry.Schema(query=Query)._schema) == ["Query.bare"]


def test_the_tables_fill_what_is_missing_and_refuse_stale_entries() -> None:
    import pytest
    import strawberry

    from schema.descriptions import Tables, describe

    @strawberry.type(description="Described.")
    class Query:
        bare: int
        own: int = strawberry.field(description="Its own.")

    built = strawberry.Schema(query=Query)._schema
    describe(built, Tables({"Query.bare": "Filled.", "Query.own": "Not used."}, {}, {}, {}))
    assert built.type_map["Query"].fields["bare"].description == "Filled."
    assert built.type_map["Query"].fields["own"].description == "Its own."
    with pytest.raises(ValueError, match="Query.gone"):
        describe(built, Tables({"Query.gone": "Stale."}, {}, {}, {}))
