"""Field execution with a short path for plain leaf fields.

graphql-core builds a resolve-info object, a node list and an argument dict for every field it
executes, then walks the completion chain, even for a plain attribute read of a string or an enum
(most of a page of cases, most of a timeline event). For a field that has no arguments and
strawberry's default resolver (no resolver, permission or extension of ours) and a scalar or enum
type, this reads the attribute and coerces it directly. Anything else, and any value the short
path cannot complete (an error, a null for a non-null field, an awaitable), goes the ordinary way,
so results and errors are exactly graphql-core's.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLEnumType, GraphQLNonNull, GraphQLObjectType, GraphQLScalarType
from graphql.pyutils import Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

_LEAF = (GraphQLScalarType, GraphQLEnumType)


class _EnumNames(dict[GraphQLEnumType, dict[Any, str]]):
    """Per enum type: the GraphQL name of each Python member's value, built on first use."""

    def __missing__(self, enum: GraphQLEnumType) -> dict[Any, str] | None:
        names: dict[Any, str] | None = None
        if hasattr(enum, "wrapped_cls"):
            names = {}
            try:
                for name, value in enum.values.items():  # the first name wins, as in strawberry
                    names.setdefault(value.value, name)
            except TypeError:  # an unhashable value: strawberry's scan stays
                names = None
        self[enum] = names  # type: ignore[assignment]
        return names


_ENUM_NAMES = _EnumNames()


class LeafShortcutExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def execute_field(self, parent_type: GraphQLObjectType, source: Any,
                      field_details_list: Any, path: Any, position_context: Any) -> Any:
        node = field_details_list[0].node
        field_def = parent_type.fields.get(node.name.value)
        if (field_def is not None and not field_def.args and not node.arguments
                and getattr(field_def.resolve, "_is_default", False)
                and (self.middleware_manager is None
                     or self.middleware_manager._middleware_resolvers is None)):
            leaf = field_def.type
            non_null = isinstance(leaf, GraphQLNonNull)
            if non_null:
                leaf = leaf.of_type
            if isinstance(leaf, _LEAF):
                try:
                    result = field_def.resolve(source, None)  # type: ignore[misc]
                    if result is None:
                        if not non_null:
                            return None
                    elif not self.is_awaitable(result) and not isinstance(result, Exception):
                        names = _ENUM_NAMES[leaf] if isinstance(leaf, GraphQLEnumType) else None
                        if names is None or type(result) is not getattr(leaf, "wrapped_cls", None):
                            coerced = leaf.coerce_output_value(result)
                        else:  # strawberry's own coercion scans every value of the enum
                            coerced = names.get(result.value)
                        if coerced is not None and coerced is not Undefined:
                            return coerced
                except Exception:  # noqa: BLE001 - the ordinary path raises it, located
                    pass
        return super().execute_field(parent_type, source, field_details_list, path,
                                     position_context)
