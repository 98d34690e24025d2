"""Field execution with a short path for plain fields: leaves, objects, lists and abstract types.

graphql-core builds a resolve-info object, a node list and an argument dict for every field it
executes, then walks its completion chain (`complete_value` and friends, each with that info),
even for a plain attribute read. For a field without arguments and with strawberry's default
resolver (no resolver, permission or extension of ours), this reads the attribute and completes
it directly:

- scalars and enums are coerced in place (enums named by lookup, not strawberry's scan);
- non-null, lists and objects are completed by a copy of graphql-core's completion without the
  info object, raising the same errors at the same paths (`handle_field_error`, null
  propagation, errors of list items at their index);
- an object type with an `is_type_of` check, and a union or interface, is resolved by the exact
  Python class when strawberry's own check is known to answer so for that class (no
  `strawberry.cast`, no generics, no custom `is_type_of`/`resolve_type`); any other value goes
  to graphql-core's own `complete_object_value`/`complete_abstract_value` with a real info.

A resolver of ours without arguments (and without permissions, extensions or exception
handlers) is called directly with what strawberry would give it; one marked with `short_path`
is first asked without an info at all (`answer(source)`), and only when that answer is
`NEEDS_INFO` is the info built and the resolver called (the timeline's `payload` and `details`:
an info only for an event holding personal data).

A selection whose fields are all of those plain kinds (and no resolver of ours needing an
info), in a document without directives and a request without middleware, is compiled once per
document into one Python function from a source object to its result dict (`_compile_fill`:
nested objects and lists of objects of exactly their strawberry class inside it); whatever that
function cannot answer as the ordinary completion would (a null for a non-null field, another
class, an error, a `NEEDS_INFO` answer, i.e. personal data) sends that object back to the
field-by-field completion from its start, which then answers it with its errors at its path.

Fields with other resolvers, arguments, directives or deferred delivery, and requests with
middleware, take the ordinary path; so does any leaf value the short path cannot complete.
Which fields a selection holds is worked out once per selection and request, not once per list
item.

For new types: a union or interface member resolves fast when the value is an instance of
exactly the member's strawberry class (not a subclass, not a dict); give payload types their own
classes and return instances of them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from keyword import iskeyword
from typing import Any, TypeVar

from graphql import (
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
)
from graphql.execution.executor import to_nodes
from graphql.pyutils import Path, Undefined, gather_with_cancel
from graphql.type.scalars import serialize_boolean, serialize_id, serialize_int, serialize_string
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.cast import TYPE_CAST_ATTRIBUTE

_LEAF = (GraphQLScalarType, GraphQLEnumType)
_DEFINITION = "strawberry-definition"  # strawberry's back reference in a type's extensions
_MISS = object()  # the short path could not complete this leaf
# graphql-core's output coercions that return a value of exactly this type unchanged
# (Int: within 32 bits, checked where used)
_PLAIN: dict[Any, type] = {serialize_string: str, serialize_id: str, serialize_boolean: bool,
                           serialize_int: int}
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
# values of these exact types are neither errors nor awaitables: coerced without those checks
_VALUES = frozenset({str, int, float, bool, datetime, date, dict, list})

# a field's mode in a selection's plan
_ORDINARY, _TYPENAME, _LEAF_FIELD, _COMPOSITE, _RESOLVER, _SHORT = range(6)

#: What a `short_path` answer returns when the resolver itself must run (with its info).
NEEDS_INFO: Any = object()
_SHORT_ATTRIBUTE = "__short_path__"
_F = TypeVar("_F", bound=Callable[..., Any])


def short_path(answer: Callable[[Any], Any]) -> Callable[[_F], _F]:
    """Mark a resolver that needs its info only sometimes: `answer(source)` gives the field's
    value without one, or `NEEDS_INFO` when the resolver must run. The answer must be what the
    resolver returns for that source (synchronous, no side effects); the executor completes it
    as the resolver's value, at the same path, with the same errors."""
    def mark(resolver: _F) -> _F:
        setattr(resolver, _SHORT_ATTRIBUTE, answer)
        return resolver
    return mark
# a type's kind
_K_NON_NULL, _K_LIST, _K_LEAF, _K_OBJECT, _K_ABSTRACT, _K_OTHER = range(6)


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


class _Kinds(dict[Any, int]):
    def __missing__(self, type_: Any) -> int:
        kind = (_K_NON_NULL if isinstance(type_, GraphQLNonNull)
                else _K_LIST if isinstance(type_, GraphQLList)
                else _K_LEAF if isinstance(type_, _LEAF)
                else _K_OBJECT if isinstance(type_, GraphQLObjectType)
                else _K_ABSTRACT if isinstance(type_, GraphQLInterfaceType | GraphQLUnionType)
                else _K_OTHER)
        self[type_] = kind
        return kind


def _plain_definition(type_: GraphQLObjectType) -> Any:
    """The strawberry definition of an object type if it is neither generic nor given its own
    `is_type_of`, else None."""
    definition = (type_.extensions or {}).get(_DEFINITION)
    if (definition is None or getattr(definition, "is_type_of", None) is not None
            or getattr(definition, "concrete_of", None) is not None
            or getattr(definition, "is_graphql_generic", True)):
        return None
    return definition


class _ExactClasses(dict[GraphQLObjectType, tuple[type, ...]]):
    """Per object type with strawberry's generated `is_type_of`: the classes whose (uncast)
    instances it accepts for certain, i.e. exactly its own class."""

    def __missing__(self, type_: GraphQLObjectType) -> tuple[type, ...]:
        definition = _plain_definition(type_)
        classes = (definition.origin,) if definition is not None else ()
        self[type_] = classes
        return classes


class _RuntimeTypes(dict[Any, dict[type, GraphQLObjectType]]):
    """Per union or interface: Python class -> the object type strawberry's own `resolve_type`
    names for an uncast instance of exactly that class (only where that is certain)."""

    def of(self, abstract: Any, schema: Any) -> dict[type, GraphQLObjectType]:
        found = self.get(abstract)
        if found is None:
            found = self[abstract] = _runtime_types(abstract, schema)
        return found


def _runtime_types(abstract: Any, schema: Any) -> dict[type, GraphQLObjectType]:
    definition: Any = (abstract.extensions or {}).get(_DEFINITION)
    if definition is None:
        return {}
    members = list(schema.get_possible_types(abstract))
    plain: list[Any] = [_plain_definition(m) for m in members]
    if any(p is None for p in plain):  # a generic member: strawberry's scan stays
        return {}
    out: dict[type, GraphQLObjectType] = {}
    if isinstance(abstract, GraphQLUnionType):
        # strawberry's union resolver: the first member whose definition the value's is
        if type(abstract.resolve_type).__name__ != "function" or \
                getattr(abstract.resolve_type, "__name__", "") != "_resolve_union_type":
            return {}
        for member, member_def in zip(members, plain, strict=True):
            out.setdefault(member_def.origin, member)
        return out
    # an interface without a resolve_type of its own: isinstance of the interface's class,
    # then the value's own (non-generic) definition's name
    if getattr(definition, "resolve_type", None) is not None:
        return {}
    for member, member_def in zip(members, plain, strict=True):
        origin: Any = member_def.origin
        if (issubclass(origin, definition.origin)
                and getattr(origin, "__strawberry_definition__", None) is member_def
                and schema.get_type(member_def.name) is member):
            out[origin] = member
    return out


# (the resolver, strawberry's info maker, pass the source first?, keyword names that take the
# source (root, parent), the keyword name that takes the info or None, its `short_path` answer
# or None)
_ResolverCall = tuple[Any, Any, bool, tuple[str, ...], str | None, Any]


class _ResolverCalls:
    """Per field definition: how to call its resolver directly, where strawberry's wrapper
    would only build an info and call it (a synchronous resolver of ours, no arguments, no
    field extensions or permissions, no exception handlers); else None."""

    def __init__(self) -> None:
        self._calls: dict[int, tuple[Any, _ResolverCall | None]] = {}  # field definitions
        # are not hashable: by id, holding the definition so that its id is not reused

    def __getitem__(self, field_def: Any) -> _ResolverCall | None:
        found = self._calls.get(id(field_def))
        if found is not None and found[0] is field_def:
            return found[1]
        try:
            call = _resolver_call(field_def)
        except Exception:  # noqa: BLE001 - anything unexpected: strawberry's own way
            call = None
        self._calls[id(field_def)] = (field_def, call)
        return call


def _resolver_call(field_def: Any) -> _ResolverCall | None:
    resolve = field_def.resolve
    field: Any = (field_def.extensions or {}).get(_DEFINITION)
    if field is None:
        return None
    if (getattr(resolve, "__name__", "") != "_resolver" or field.base_resolver is None
            or field.extensions or field.arguments or field.is_async or field_def.args):
        return None
    cells = _cells(resolve)
    if "field_exception_handlers" not in cells or cells["field_exception_handlers"]:
        return None
    to_info = cells.get("_strawberry_info_from_graphql")
    if to_info is None or _cells(to_info).get("field") is not field:
        return None
    resolver: Any = field.base_resolver
    source_names = tuple(p.name for p in (resolver.parent_parameter, resolver.root_parameter)
                         if p is not None)
    info = resolver.info_parameter
    return (resolver, to_info, resolver.self_parameter is not None, source_names,
            info.name if info is not None else None,
            getattr(resolver.wrapped_func, _SHORT_ATTRIBUTE, None))


def _cells(function: Any) -> dict[str, Any]:
    """The variables a closure holds, by name."""
    return dict(zip(function.__code__.co_freevars,
                    (c.cell_contents for c in function.__closure__ or ()), strict=True))


_RESOLVER_CALLS = _ResolverCalls()
_ENUM_NAMES = _EnumNames()
_KINDS = _Kinds()
_EXACT = _ExactClasses()
_RUNTIME = _RuntimeTypes()

# Collected selections shared between requests of one cached document without directives:
# (object type id, field node ids) -> (the type, the nodes, the grouped field set); an entry
# holds its type and nodes, so their ids are not reused while it is kept. Bounded: cleared
# when full (the parser cache keeps at most a few hundred documents).
_SHARED: dict[tuple[int, ...], tuple[Any, tuple[Any, ...], Any]] = {}
_DIRECTIVE_FREE: dict[int, tuple[Any, bool]] = {}
_SHARED_SETS: dict[int, Any] = {}  # the sets `_SHARED` holds, by id
#: the plans of those shared sets: (set id, no middleware?) -> (the set, its type, the plan)
_SHARED_PLANS: dict[tuple[int, bool], tuple[Any, Any, list[tuple]]] = {}
_SHARED_MAX = 4096


def _has_directives(node: Any) -> bool:
    """Does a selection (an operation or fragment definition) hold a directive anywhere?"""
    selection_set = getattr(node, "selection_set", None)
    if selection_set is None:
        return False
    for s in selection_set.selections:
        if s.directives or _has_directives(s):
            return True
    return False


# (field definition, field details list, parent type, the field's path, its info if built):
# what an info needs
_Where = tuple[Any, Any, GraphQLObjectType, Path, Any]


class LeafShortcutExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution with the short path above; see the module's docstring."""

    #: Compile plain selections (`_compile_fill`)? Off, every object takes the field-by-field
    #: path: what the tests compare the compiled answers with.
    compiled_selections = True
    _plans: dict[int, tuple[Any, list[tuple]]]  # per request, made on first use
    _compiles: bool  # may this request use compiled selections? (on first use)
    _collected: dict[tuple[int, int], tuple[Any, GraphQLObjectType, Any]]

    # -- the plan of one selection ---------------------------------------------------------
    def _plan(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> list[tuple]:
        try:
            plans = self._plans
        except AttributeError:
            plans = self._plans = {}
        cached = plans.get(id(grouped_field_set))
        if cached is not None and cached[0] is grouped_field_set:
            return cached[1]
        fast = (self.middleware_manager is None
                or self.middleware_manager._middleware_resolvers is None)
        shared_key = (id(grouped_field_set), fast)
        shared = _SHARED_PLANS.get(shared_key) if self._shareable() else None
        if shared is not None and shared[0] is grouped_field_set and shared[1] is parent_type:
            plan = shared[2]
        else:
            plan = [(response_name, field_details_list,
                     *self._mode(parent_type, field_details_list, fast))
                    for response_name, field_details_list in grouped_field_set.items()]
            if _SHARED_SETS.get(id(grouped_field_set)) is grouped_field_set:
                if len(_SHARED_PLANS) >= _SHARED_MAX:
                    _SHARED_PLANS.clear()
                _SHARED_PLANS[shared_key] = (grouped_field_set, parent_type, plan)
        plans[id(grouped_field_set)] = (grouped_field_set, plan)  # holds the set: no id reuse
        return plan

    def _subfields(self, return_type: GraphQLObjectType, field_details_list: Any) -> Any:
        """The selection of an object's fields, collected once per request for all the objects
        of a list (graphql-core memoizes it too, behind two more calls and a tuple hash), and
        once for all requests of a cached document without directives (`_SHARED`); None when
        it defers anything (then graphql-core's own way)."""
        try:
            collected = self._collected
        except AttributeError:
            collected = self._collected = {}
        # by type too: under a union or interface one field details list meets several types
        key = (id(field_details_list), id(return_type))
        found = collected.get(key)
        if found is not None and found[0] is field_details_list and found[1] is return_type:
            return found[2]
        shared_key: tuple[int, ...] | None = None
        if self._shareable():
            nodes = tuple(d.node for d in field_details_list)
            shared_key = (id(return_type), *map(id, nodes))
            shared = _SHARED.get(shared_key)
            if shared is not None and shared[0] is return_type and shared[1] == nodes \
                    and all(a is b for a, b in zip(shared[1], nodes, strict=True)):
                collected[key] = (field_details_list, return_type, shared[2])
                return shared[2]
        grouped_field_set, new_defer_usages, _forbidden = self.collect_subfields(
            return_type, field_details_list)
        fields = None if new_defer_usages else grouped_field_set
        # (holds the list and the type: their ids are not reused while the request runs)
        collected[key] = (field_details_list, return_type, fields)
        if shared_key is not None and fields is not None:
            if len(_SHARED) >= _SHARED_MAX:
                _SHARED.clear()
                _SHARED_SETS.clear()
            _SHARED[shared_key] = (return_type, nodes, fields)
            _SHARED_SETS[id(fields)] = fields
        return fields

    def _shareable(self) -> bool:
        """May this request's collected selections serve other requests? Only for a document
        without any directive (no `@skip`/`@include` whose variables could change them, no
        `@defer`), whose nodes the parser cache hands to every request sending it."""
        try:
            return self._shared_ok
        except AttributeError:
            pass
        operation = self.operation
        found = _DIRECTIVE_FREE.get(id(operation))
        if found is None or found[0] is not operation:
            if len(_DIRECTIVE_FREE) >= _SHARED_MAX:
                _DIRECTIVE_FREE.clear()
            found = _DIRECTIVE_FREE[id(operation)] = (
                operation, not _has_directives(operation)
                and not any(_has_directives(f) for f in self.fragments.values()))
        self._shared_ok: bool = found[1]
        return found[1]

    @staticmethod
    def _mode(parent_type: GraphQLObjectType, field_details_list: Any, fast: bool
              ) -> tuple[int, Any, Any, Any]:
        """(mode, field definition, attribute to read or None, the leaf's coercion)."""
        node = field_details_list[0].node
        name = node.name.value
        if not fast or any(d.node.directives or d.defer_usage is not None
                           for d in field_details_list):
            return _ORDINARY, None, None, None
        if name == "__typename":
            return _TYPENAME, None, None, None
        field_def = parent_type.fields.get(name)
        if field_def is None or field_def.args or node.arguments:
            return _ORDINARY, None, None, None
        if not getattr(field_def.resolve, "_is_default", False):
            call = _RESOLVER_CALLS[field_def]
            if call is None:
                return _ORDINARY, None, None, None
            if call[5] is None:
                return _RESOLVER, field_def, None, call
            # a short answer: completed as a default-resolved field's value (`attr` holds the
            # answer, `coercion` the leaf's as below, or None for a composite type)
            return _SHORT, field_def, call[5], _leaf_coercion(field_def.type)
        # strawberry's default resolver is `config.default_resolver(source, python_name)`,
        # getattr unless configured otherwise
        field = (field_def.extensions or {}).get(_DEFINITION)
        attr = (field.python_name if field is not None and field.base_resolver is None
                and field.default_resolver is getattr else None)
        coercion = _leaf_coercion(field_def.type)
        if coercion is None:
            return _COMPOSITE, field_def, attr, None
        return _LEAF_FIELD, field_def, attr, coercion

    # -- a selection ---------------------------------------------------------------------
    def execute_fields(self, parent_type: GraphQLObjectType, source_value: Any, path: Any,
                       grouped_field_set: Any, position_context: Any) -> Any:
        if position_context is not None:  # deferred delivery: graphql-core's own way
            return super().execute_fields(parent_type, source_value, path, grouped_field_set,
                                          position_context)
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        ordinary = super().execute_field
        try:
            for response_name, field_details_list, mode, field_def, attr, coercion in \
                    self._plan(parent_type, grouped_field_set):
                if mode == _SHORT:
                    try:
                        value = attr(source_value)
                    except Exception:  # noqa: BLE001 - the resolver's way raises it, located
                        value = NEEDS_INFO
                    if value is NEEDS_INFO or coercion is None:
                        field_path = Path(path, response_name, parent_type.name)
                        result = (self._resolved(parent_type, source_value, field_details_list,
                                                 field_def, _RESOLVER_CALLS[field_def],
                                                 field_path) if value is NEEDS_INFO else
                                  self._completed(field_def.type, (
                                      field_def, field_details_list, parent_type, field_path,
                                      None), field_path, value))
                        results[response_name] = result
                        if type(result) is not dict and type(result) is not list \
                                and is_awaitable(result):
                            awaitable_fields.append(response_name)
                        continue
                if mode == _LEAF_FIELD or mode == _SHORT:
                    leaf, non_null, plain, names, wrapped = coercion
                    if mode == _LEAF_FIELD:
                        try:
                            value = (getattr(source_value, attr) if attr is not None
                                     else field_def.resolve(source_value, None))
                        except Exception:  # noqa: BLE001 - the ordinary path raises it
                            value = _MISS
                    kind = type(value)
                    if kind is plain and (kind is not int or _INT_MIN <= value <= _INT_MAX):
                        results[response_name] = value
                        continue
                    if value is None and not non_null:
                        results[response_name] = None
                        continue
                    if kind is wrapped:
                        name = names.get(value.value)
                        if name is not None:
                            results[response_name] = name
                            continue
                    if kind in _VALUES and names is None:  # not an error, not awaitable
                        try:
                            value = leaf.coerce_output_value(value)
                        except Exception:  # noqa: BLE001 - the ordinary path raises it
                            value = None
                        if value is not None and value is not Undefined:
                            results[response_name] = value
                            continue
                    elif value is not None and value is not _MISS:
                        value = _coerce(leaf, value, is_awaitable)
                        if value is not _MISS:
                            results[response_name] = value
                            continue
                    result = ordinary(parent_type, source_value, field_details_list,
                                      Path(path, response_name, parent_type.name), None)
                    if result is Undefined:  # pragma: no cover - the field exists
                        continue
                    results[response_name] = result
                    continue
                if mode == _TYPENAME:
                    results[response_name] = parent_type.name
                    continue
                field_path = Path(path, response_name, parent_type.name)
                if mode == _COMPOSITE:
                    result = self._composite(parent_type, source_value, field_details_list,
                                             field_def, attr, field_path)
                elif mode == _RESOLVER:
                    result = self._resolved(parent_type, source_value, field_details_list,
                                            field_def, coercion, field_path)
                else:
                    result = ordinary(parent_type, source_value, field_details_list,
                                      field_path, None)
                    if result is Undefined:
                        continue
                results[response_name] = result
                if type(result) is not dict and type(result) is not list \
                        and is_awaitable(result):
                    awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[f] for f in awaitable_fields])
            raise
        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            if len(awaitable_fields) == 1:
                field = awaitable_fields[0]
                results[field] = await results[field]
            else:
                awaited = await gather_with_cancel(*(results[f] for f in awaitable_fields))
                results.update(zip(awaitable_fields, awaited, strict=True))
            return results

        return get_results()

    def execute_field(self, parent_type: GraphQLObjectType, source: Any,
                      field_details_list: Any, path: Any, position_context: Any) -> Any:
        """A single field (root fields of mutations, deferred fields): leaves short."""
        if position_context is None:
            mode, field_def, _attr, _coercion = self._mode(parent_type, field_details_list, (
                self.middleware_manager is None
                or self.middleware_manager._middleware_resolvers is None))
            if mode == _LEAF_FIELD:
                result = _leaf(field_def, source, self.is_awaitable)
                if result is not _MISS:
                    return result
        return super().execute_field(parent_type, source, field_details_list, path,
                                     position_context)

    # -- one object, list or abstract field ------------------------------------------------
    def _composite(self, parent_type: GraphQLObjectType, source: Any, field_details_list: Any,
                   field_def: Any, attr: str | None, path: Path) -> Any:
        """graphql-core's `execute_field` for a default-resolved field, without the info."""
        return_type = field_def.type
        where = (field_def, field_details_list, parent_type, path, None)
        try:
            result = (getattr(source, attr) if attr is not None
                      else field_def.resolve(source, None))
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        return self._completed(return_type, where, path, result)

    def _completed(self, return_type: Any, where: _Where, path: Path, result: Any) -> Any:
        """A resolved value completed (graphql-core's `execute_field` after the resolver)."""
        try:
            if self.is_awaitable(result):
                return self.complete_awaitable_value(
                    return_type, where[1], self._info(where), path, result, None)
            completed = self._complete(return_type, where, path, result)
            if type(completed) is not dict and type(completed) is not list \
                    and self.is_awaitable(completed):
                return self._await_completed(completed, return_type, where[1], path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, where[1], path)
            return None
        return completed

    def _resolved(self, parent_type: GraphQLObjectType, source: Any, field_details_list: Any,
                  field_def: Any, call: _ResolverCall, path: Path) -> Any:
        """graphql-core's `execute_field` and strawberry's `_resolver` for a synchronous
        resolver of ours without arguments, extensions or exception handlers: the function is
        called with what strawberry would give it (self/root/parent: the source; info)."""
        return_type = field_def.type
        info = self.build_resolve_info(field_def, to_nodes(field_details_list), parent_type,
                                       path)
        try:
            resolver, to_info, with_self, source_names, info_name, _short = call
            kwargs = dict.fromkeys(source_names, source)
            if info_name is not None:
                kwargs[info_name] = to_info(info)
            result = resolver(source, **kwargs) if with_self else resolver(**kwargs)
            if self.is_awaitable(result):
                return self.complete_awaitable_value(return_type, field_details_list, info,
                                                     path, result, None)
            completed = self._complete(return_type, (field_def, field_details_list,
                                                     parent_type, path, info), path, result)
            if type(completed) is not dict and type(completed) is not list \
                    and self.is_awaitable(completed):
                return self._await_completed(completed, return_type, field_details_list, path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        return completed

    async def _await_completed(self, completed: Awaitable[Any], return_type: Any,
                               field_details_list: Any, path: Path) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None

    def _info(self, where: _Where) -> Any:
        field_def, field_details_list, parent_type, path, info = where
        if info is not None:
            return info
        return self.build_resolve_info(field_def, to_nodes(field_details_list), parent_type,
                                       path)

    def complete_value(self, return_type: Any, field_details_list: Any, info: Any, path: Any,
                       result: Any, position_context: Any) -> Any:
        """The completion of a field graphql-core resolved (one with a resolver): short too,
        unless its delivery is deferred or streamed."""
        if position_context is not None or any(d.node.directives or d.defer_usage is not None
                                               for d in field_details_list):
            return super().complete_value(return_type, field_details_list, info, path, result,
                                          position_context)
        return self._complete(return_type, (None, field_details_list, info.parent_type,
                                            info.path, info), path, result)

    def _complete(self, return_type: Any, where: _Where, path: Path, result: Any) -> Any:
        """graphql-core's `complete_value`."""
        if isinstance(result, Exception):
            raise result
        kind = _KINDS[return_type]
        if kind == _K_NON_NULL:
            completed = self._complete(return_type.of_type, where, path, result)
            if completed is None:
                field_details_list, parent_type = where[1], where[2]
                msg = ("Cannot return null for non-nullable field"
                       f" {parent_type}.{field_details_list[0].node.name.value}.")
                raise TypeError(msg)
            return completed
        if result is None or result is Undefined:
            return None
        if kind == _K_LIST:
            if type(result) is not list and type(result) is not tuple:
                return self.complete_list_value(return_type, where[1], self._info(where), path,
                                                result, None)
            return self._complete_list(return_type.of_type, where, path, result)
        if kind == _K_LEAF:
            if type(result) is getattr(return_type, "wrapped_cls", None):
                names = _ENUM_NAMES[return_type]
                if names is not None:
                    coerced = names.get(result.value)
                    if coerced is not None:
                        return coerced
            return self.complete_leaf_value(return_type, result)
        if kind == _K_OBJECT:
            return self._complete_object(return_type, where, path, result)
        if kind == _K_ABSTRACT and getattr(result, TYPE_CAST_ATTRIBUTE, None) is None:
            runtime = _RUNTIME.of(return_type, self.schema).get(type(result))
            if runtime is not None:
                return self._complete_object(runtime, where, path, result)
        return super().complete_value(return_type, where[1], self._info(where), path, result,
                                      None)

    def _complete_object(self, return_type: GraphQLObjectType, where: _Where, path: Path,
                         result: Any) -> Any:
        """graphql-core's `complete_object_value`, `is_type_of` answered by the exact class
        where strawberry's generated check would surely accept it."""
        if return_type.is_type_of and not (
                type(result) in _EXACT[return_type]
                and getattr(result, TYPE_CAST_ATTRIBUTE, None) is None):
            return self.complete_object_value(return_type, where[1], self._info(where), path,
                                              result, None)
        fields = self._subfields(return_type, where[1])
        if fields is None:
            return self.collect_and_execute_subfields(return_type, where[1], path, result, None)
        fill = self._fill(return_type, fields)
        if fill is not None:
            try:
                return fill(self, result)
            except Exception:  # noqa: BLE001, S110 - anything it cannot answer: the ordinary
                pass  # completion below answers it (its reads are repeatable: no side effects)
        return self.execute_fields(return_type, result, path, fields, None)

    # -- compiled selections -------------------------------------------------------------
    def _list_fill(self, item_type: Any, field_details_list: Any) -> tuple[Any, Fill | None]:
        """(the class, the fill) that complete the items of a list of objects (`[T!]`, `[T]`)
        of exactly that class at once; (None, None) where the items take `_complete`."""
        object_type = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        exact = _exact_class(object_type)
        fields = None if exact is None else self._subfields(object_type, field_details_list)
        fill = None if fields is None else self._fill(object_type, fields)
        return (exact, fill) if fill is not None else (None, None)

    def _fill(self, parent_type: GraphQLObjectType, fields: Any) -> Fill | None:
        """The compiled completion of a shared selection (`_compile_fill`), made once per
        document; None when this request or selection may not have one."""
        try:
            compiles = self._compiles
        except AttributeError:
            compiles = self._compiles = self.compiled_selections and self._shareable() and (
                self.middleware_manager is None
                or self.middleware_manager._middleware_resolvers is None)
        if not compiles or _SHARED_SETS.get(id(fields)) is not fields:
            return None
        key = (id(fields), id(parent_type))
        found = _FILLS.get(key)
        if found is not None and found[0] is fields and found[1] is parent_type:
            return found[2]  # type: ignore[no-any-return]
        try:
            fill = _compile_fill(self, parent_type, fields)
        except Exception:  # noqa: BLE001 - anything unexpected: the ordinary way
            fill = None
        if len(_FILLS) >= _SHARED_MAX:
            _FILLS.clear()
        _FILLS[key] = (fields, parent_type, fill)  # holds both: their ids are not reused
        return fill

    def _complete_list(self, item_type: Any, where: _Where, path: Path,
                       items: list[Any] | tuple[Any, ...]) -> Any:
        """graphql-core's `complete_iterable_value` for a list or tuple (no `@stream`)."""
        is_awaitable = self.is_awaitable
        field_details_list = where[1]
        completed_results: list[Any] = []
        append = completed_results.append
        awaitable_indices: list[int] = []
        index = 0
        cls, fill = self._list_fill(item_type, field_details_list)
        try:
            for index, item in enumerate(items):  # noqa: B007 - read after an exception
                if type(item) is cls and getattr(item, TYPE_CAST_ATTRIBUTE, None) is None:
                    try:
                        append(fill(self, item))  # type: ignore[misc]
                        continue
                    except Exception:  # noqa: BLE001, S110 - the ordinary way answers it
                        pass
                item_path = path.add_key(index, None)
                if is_awaitable(item):
                    append(self.complete_awaitable_list_item_value(
                        item, item_type, field_details_list, self._info(where), item_path,
                        None))
                    awaitable_indices.append(index)
                    continue
                try:
                    completed = self._complete(item_type, where, item_path, item)
                    if type(completed) is not dict and is_awaitable(completed):
                        append(self._await_completed(completed, item_type, field_details_list,
                                                     item_path))
                        awaitable_indices.append(index)
                    else:
                        append(completed)
                except Exception as raw_error:
                    self.handle_field_error(raw_error, item_type, field_details_list, item_path)
                    append(None)
        except Exception:
            pending = [completed_results[i] for i in awaitable_indices]
            pending.extend(i for i in items[index + 1:] if is_awaitable(i))
            if pending:
                self.settle_in_background(pending)
            raise
        if not awaitable_indices:
            return completed_results

        async def get_completed_results() -> list[Any]:
            if len(awaitable_indices) == 1:
                i = awaitable_indices[0]
                completed_results[i] = await completed_results[i]
            else:
                awaited = await gather_with_cancel(
                    *(completed_results[i] for i in awaitable_indices))
                for i, value in zip(awaitable_indices, awaited, strict=True):
                    completed_results[i] = value
            return completed_results

        return get_completed_results()


def _leaf_coercion(type_: Any) -> tuple[Any, bool, Any, Any, Any] | None:
    """(leaf type, non-null?, the type its coercion returns unchanged, enum names, enum class)
    of a scalar or enum type, possibly non-null; None for any other type."""
    leaf = type_
    non_null = isinstance(leaf, GraphQLNonNull)
    if non_null:
        leaf = leaf.of_type
    if not isinstance(leaf, _LEAF):
        return None
    names = _ENUM_NAMES[leaf] if isinstance(leaf, GraphQLEnumType) else None
    return (leaf, non_null, _PLAIN.get(getattr(leaf, "coerce_output_value", None)), names,
            getattr(leaf, "wrapped_cls", None) if names is not None else None)


def _leaf(field_def: Any, source: Any, is_awaitable: Any) -> Any:
    """A default-resolved scalar or enum field's value, coerced; `_MISS` for anything the
    ordinary path must answer (an error, a null for a non-null field, an awaitable)."""
    leaf = field_def.type
    non_null = isinstance(leaf, GraphQLNonNull)
    if non_null:
        leaf = leaf.of_type
    try:
        result = field_def.resolve(source, None)
    except Exception:  # noqa: BLE001 - the ordinary path raises it, located
        return _MISS
    if result is None:
        return _MISS if non_null else None
    return _coerce(leaf, result, is_awaitable)


def _coerce(leaf: Any, result: Any, is_awaitable: Any) -> Any:
    """A non-null leaf value coerced as graphql-core would, or `_MISS` where graphql-core
    would raise (the ordinary path then raises it, located)."""
    try:
        if isinstance(result, Exception) or is_awaitable(result):
            return _MISS
        names = _ENUM_NAMES[leaf] if isinstance(leaf, GraphQLEnumType) else None
        if names is None or type(result) is not getattr(leaf, "wrapped_cls", None):
            coerced = leaf.coerce_output_value(result)
        else:  # strawberry's own coercion scans every value of the enum
            coerced = names.get(result.value)
        if coerced is not None and coerced is not Undefined:
            return coerced
    except Exception:  # noqa: BLE001 - the ordinary path raises it, located
        pass
    return _MISS


# -- compiled selections ---------------------------------------------------------------------
# A selection whose fields are all plain (`__typename`, default-resolved attributes, `short_path`
# answers; no resolver of ours needing an info, no arguments, no directives in the document, no
# middleware) is compiled once per document into one function from a source object to its
# result dict: one closure per field, nested objects, lists and abstract types completed by
# closures of their own. Anything such a function cannot answer exactly as the ordinary
# completion would (a null for a non-null field, a value of an unexpected type, an error, a
# `NEEDS_INFO` answer: personal data) raises `_Miss` (or the error itself), and the ordinary
# completion then answers that object from the start, at its path, with its errors.

#: (execution context, source) -> the source's result dict
Fill = Callable[[Any, Any], dict[str, Any]]
#: (execution context, resolved value) -> the completed value
_Completer = Callable[[Any, Any], Any]
#: (shared selection id, object type id) -> (the selection, the type, its fill or None)
_FILLS: dict[tuple[int, int], tuple[Any, Any, Fill | None]] = {}


class _Miss(Exception):  # noqa: N818 - a signal, not an error
    """The compiled completion cannot answer this value: the ordinary completion does."""


def _compile_fill(ex: Any, parent_type: GraphQLObjectType, fields: Any) -> Fill | None:
    """The fill of one object type's selection, or None if a field is not plain: the source of
    one function reading each field in turn into locals and returning the dict literal of them
    (a function call per field and object was most of the cost)."""
    lines = ["def fill(ex, src):"]
    scope: dict[str, Any] = {"_Miss": _Miss, "NEEDS_INFO": NEEDS_INFO, "_INT_MIN": _INT_MIN,
                             "_INT_MAX": _INT_MAX, "getattr": getattr, "_Undefined": Undefined,
                             "_CAST": TYPE_CAST_ATTRIBUTE}
    entries: list[str] = []
    for i, (response_name, field_details_list, mode, field_def, attr, coercion) in \
            enumerate(ex._plan(parent_type, fields)):
        key, v = repr(response_name), f"v{i}"
        if mode == _TYPENAME:
            entries.append(f"{key}: {parent_type.name!r}")
            continue
        if mode == _SHORT:
            scope[f"a{i}"] = attr
            lines.append(f"    {v} = a{i}(src)")
            lines.append(f"    if {v} is NEEDS_INFO: raise _Miss")
        elif mode in (_LEAF_FIELD, _COMPOSITE) and attr is not None:
            lines.append(f"    {v} = src.{attr}" if attr.isidentifier() and not iskeyword(attr)
                         else f"    {v} = getattr(src, {attr!r})")
        else:
            return None
        if coercion is not None:
            leaf, _non_null, plain, names, _wrapped = coercion
            scope[f"c{i}"], scope[f"p{i}"] = _leaf_slow(coercion), plain
            check = (f"type({v}) is not int or not _INT_MIN <= {v} <= _INT_MAX" if plain is int
                     else f"type({v}) is not p{i}")
            lines.append(f"    if {check}:")
            if names is None:  # a value coerced by the scalar alone (a time, JSON): no call
                scope[f"s{i}"], scope[f"d{i}"] = leaf.coerce_output_value, _VALUES - {int}
                lines.append(f"        if type({v}) in d{i}:")
                lines.append(f"            {v} = s{i}({v})")
                lines.append(f"            if {v} is None or {v} is _Undefined: raise _Miss")
                lines.append("        else:")
                lines.append(f"            {v} = c{i}(ex, {v})")
            else:
                lines.append(f"        {v} = c{i}(ex, {v})")
        elif _objects(ex, field_def.type, field_details_list, scope, i, v, lines):
            pass
        elif _KINDS[_nullable(field_def.type)] == _K_ABSTRACT:
            # the fill of a value's exact class once one was resolved to its type (`by_class`)
            inner = _object_completer(None, field_details_list, _nullable(field_def.type))
            scope[f"m{i}"] = inner.by_class  # type: ignore[attr-defined]
            scope[f"c{i}"] = (_non_null_of(inner) if isinstance(field_def.type, GraphQLNonNull)
                              else inner)
            lines.append(f"    f = m{i}.get(type({v}))")
            lines.append(f"    if f is not None and getattr({v}, _CAST, None) is None:")
            lines.append(f"        {v} = f(ex, {v})")
            lines.append("    else:")
            lines.append(f"        {v} = c{i}(ex, {v})")
        else:
            complete = _completer(field_def.type, field_details_list)
            if complete is None:
                return None
            scope[f"c{i}"] = complete
            lines.append(f"    {v} = c{i}(ex, {v})")
        entries.append(f"{key}: {v}")
    lines.append(f"    return {{{', '.join(entries)}}}")
    exec("\n".join(lines), scope)  # noqa: S102 - our own source: names are GraphQL names
    return scope["fill"]  # type: ignore[no-any-return]


def _objects(ex: Any, type_: Any, field_details_list: Any, scope: dict[str, Any], i: int,
             v: str, lines: list[str]) -> bool:
    """The source completing an object (`T`, `T!`) or a list of objects (`[T!]`, `[T!]!`) of
    one type, with its selection's fill compiled now; False for any other type."""
    outer_non_null = isinstance(type_, GraphQLNonNull)
    inner = type_.of_type if outer_non_null else type_
    listed = isinstance(inner, GraphQLList)
    if listed:
        if not isinstance(inner.of_type, GraphQLNonNull):
            return False
        inner = inner.of_type.of_type
    exact = _exact_class(inner)
    if exact is None:
        return False
    fields = ex._subfields(inner, field_details_list)
    fill = None if fields is None else ex._fill(inner, fields)
    if fill is None:
        return False
    scope[f"k{i}"], scope[f"f{i}"] = exact, fill
    # a null, a value of another class or a cast one: the ordinary completion (its errors)
    indent = "    "
    if not outer_non_null:
        lines.append(f"    if {v} is not None:")
        indent = "        "
    if listed:
        lines.append(f"{indent}if type({v}) is not list and type({v}) is not tuple: raise _Miss")
        lines.append(f"{indent}for x in {v}:")
        lines.append(f"{indent}    if type(x) is not k{i} or getattr(x, _CAST, None) is not None:"
                     " raise _Miss")
        lines.append(f"{indent}{v} = [f{i}(ex, x) for x in {v}]")
    else:
        lines.append(f"{indent}if type({v}) is not k{i} or getattr({v}, _CAST, None) is not None:"
                     " raise _Miss")
        lines.append(f"{indent}{v} = f{i}(ex, {v})")
    return True


def _exact_class(type_: Any) -> type | None:
    """The class whose (uncast) instances an object type's compiled fill takes: its strawberry
    class, whose instances the ordinary completion surely accepts (with or without an
    `is_type_of`); None for any other type (then no compiled fill there)."""
    if not isinstance(type_, GraphQLObjectType):
        return None
    definition = _plain_definition(type_)
    return definition.origin if definition is not None else None


def _leaf_slow(coercion: tuple) -> _Completer:
    """A leaf's value that is not of the type its coercion returns unchanged, coerced."""
    leaf, _non_null, _plain, names, _wrapped = coercion
    serialize = leaf.coerce_output_value
    direct = _VALUES - {int} if names is None else frozenset()  # coerced by `serialize` alone

    def slow(ex: Any, value: Any) -> Any:
        kind = type(value)
        if kind in direct:
            coerced = serialize(value)
            if coerced is None or coerced is Undefined:
                raise _Miss
            return coerced
        return _leaf_value(ex, value, kind, coercion)
    return slow


def _leaf_value(ex: Any, value: Any, kind: type, coercion: tuple) -> Any:
    """A leaf's value coerced as `execute_fields` does, or `_Miss`."""
    leaf, non_null, plain, names, wrapped = coercion
    if value is None:
        if non_null:
            raise _Miss
        return None
    if kind is plain and (kind is not int or _INT_MIN <= value <= _INT_MAX):
        return value
    if kind is wrapped:
        name = names.get(value.value)
        if name is None:
            raise _Miss
        return name
    if kind in _VALUES and names is None:
        coerced = leaf.coerce_output_value(value)
    else:
        coerced = _coerce(leaf, value, ex.is_awaitable)
    if coerced is None or coerced is Undefined or coerced is _MISS:
        raise _Miss
    return coerced


def _completer(type_: Any, field_details_list: Any) -> _Completer | None:
    """The completion of a composite field's value (graphql-core's `complete_value`), or None
    for a kind it does not compile."""
    kind = _KINDS[type_]
    if kind == _K_NON_NULL:
        inner = _completer(type_.of_type, field_details_list)
        return None if inner is None else _non_null_of(inner)
    if kind == _K_LIST:
        item = _completer(type_.of_type, field_details_list)
        if item is None:
            return None

        def items(ex: Any, value: Any) -> Any:
            if value is None or value is Undefined:
                return None
            if type(value) is not list and type(value) is not tuple:
                raise _Miss
            return [item(ex, v) for v in value]  # type: ignore[misc]
        return items
    if kind == _K_LEAF:
        coercion = _leaf_coercion(type_)
        if coercion is None:
            return None

        def leaf(ex: Any, value: Any) -> Any:
            if value is Undefined:
                return None
            return _leaf_value(ex, value, type(value), coercion)
        return leaf
    if kind == _K_OBJECT:
        return _object_completer(type_, field_details_list, None)
    if kind == _K_ABSTRACT:
        return _object_completer(None, field_details_list, type_)
    return None


def _nullable(type_: Any) -> Any:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def _non_null_of(inner: _Completer) -> _Completer:
    def non_null(ex: Any, value: Any) -> Any:
        completed = inner(ex, value)
        if completed is None:
            raise _Miss  # the ordinary completion raises the located error
        return completed
    return non_null


def _object_completer(object_type: GraphQLObjectType | None, field_details_list: Any,
                      abstract: Any) -> _Completer:
    """An object's completion: of `object_type`, or of the runtime type of a value of the
    union or interface `abstract` (by its exact class, as `_complete` resolves it)."""
    fills: dict[Any, Fill] = {}  # per runtime type: its sub-selection's fill
    by_class: dict[type, Fill] = {}  # per exact class found to be a runtime type: its fill

    def complete(ex: Any, value: Any) -> Any:
        if value is None or value is Undefined:
            return None
        if getattr(value, TYPE_CAST_ATTRIBUTE, None) is not None:
            raise _Miss
        runtime = object_type
        if runtime is None:
            runtime = _RUNTIME.of(abstract, ex.schema).get(type(value))
            if runtime is None:
                raise _Miss
        fill = fills.get(runtime)
        if fill is None:
            if runtime.is_type_of and type(value) not in _EXACT[runtime]:
                raise _Miss
            fields = ex._subfields(runtime, field_details_list)
            found = None if fields is None else ex._fill(runtime, fields)
            if found is None:
                raise _Miss
            fill = fills[runtime] = found
        elif runtime.is_type_of and type(value) not in _EXACT[runtime]:
            raise _Miss
        if abstract is not None and _exact_class(runtime) is type(value):
            by_class[type(value)] = fill
        return fill(ex, value)
    complete.by_class = by_class  # type: ignore[attr-defined]
    return complete
