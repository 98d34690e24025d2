"""The import file: one JSON object per line (NDJSON), each a mutation as GraphQL would receive it.

    {"mutation": "startScreening", "input": {"memberState": "IT", ..., "occurredAt": "...",
     "commandId": "it-2025-000123-1"}, "actor": {"id": "it-so-01", "role": "SCREENING_OFFICER"}}

`mutation` is a mutation's name (`startScreening`, `declareCrisis`, `makeSolidarityPledge`, ...)
or its command's (`StartScreening`); `input` is exactly that mutation's input (camelCase fields,
enum values by name, the envelope fields `occurredAt`, `commandId`, `correlationId`,
`causationId`, `legalBasis`, `evidenceRefs`); `commandId` is required here, since it is what
makes a re-run record nothing twice. `actor` (optional) names who recorded the step: `id`,
`role`, `authority`, `memberState`; what it leaves out comes from the import's own principal
(`pact-ledger import --member-state --role ...`). A line may act only for the import's member
state (an EU-level import: for any), and the ledger's access policy then applies as to a
mutation. Blank lines and lines starting with `//` are skipped.
"""

from __future__ import annotations

import dataclasses
import json
import types
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints
from uuid import UUID

import orjson
from strawberry.utils.str_converters import to_camel_case

from ledger.authorization.roles import EU
from ledger.bulk_import import Item
from ledger.command_meta import CommandMeta
from ledger.envelope import Actor, LegalBasis
from ledger.errors import FieldProblem, InvalidInput, LedgerError
from ledger.solidarity.commands import EuroCents
from schema.cases.mutations import CASE_MUTATIONS
from schema.deadlines.mutations import CRISIS_MUTATIONS
from schema.solidarity.mutations import SOLIDARITY_MUTATIONS

#: Every mutation that records a command, by its GraphQL name.
MUTATIONS: dict[str, type] = {
    **CASE_MUTATIONS,
    **{step.name: step.command for step in (*CRISIS_MUTATIONS, *SOLIDARITY_MUTATIONS)},
}
#: The same, by command name.
COMMANDS: dict[str, type] = {command.__name__: command for command in MUTATIONS.values()}
#: The name each command's mutation has (for writing files).
MUTATION_OF: dict[type, str] = {command: name for name, command in MUTATIONS.items()}

_ENVELOPE = ("occurredAt", "commandId", "correlationId", "causationId", "legalBasis",
             "evidenceRefs")


@cache
def _fields(kind: type) -> tuple[tuple[str, str, Any, bool], ...]:
    """(field name, input name, type hint, required) of a command or value object."""
    hints = get_type_hints(kind, include_extras=True)
    return tuple((f.name, to_camel_case(f.name), hints[f.name],
                  f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
                 for f in dataclasses.fields(kind))


def _problem(field: str, message: str) -> InvalidInput:
    return InvalidInput([FieldProblem(field, message)])


Converter = Callable[[str, Any], Any]


def _value(path: str, hint: Any, value: Any) -> Any:
    """`value` as the command holds it, or InvalidInput naming `path`."""
    return _converter(hint)(path, value)


@cache
def _converter(hint: Any) -> Converter:
    """How a value of `hint` is read (worked out once per type hint: a caseload has millions
    of lines of a few dozen shapes)."""
    marks: tuple[Any, ...] = ()
    if get_origin(hint) is Annotated:
        hint, *rest = get_args(hint)
        marks = tuple(rest)
    if get_origin(hint) in (Union, types.UnionType):
        optional = type(None) in get_args(hint)
        inner = _converter(next(a for a in get_args(hint) if a is not type(None))
                           if not marks else _annotated(
                               next(a for a in get_args(hint) if a is not type(None)), marks))

        def either(path: str, value: Any) -> Any:
            if value is None:
                if optional:
                    return None
                raise _problem(path, "is required")
            return inner(path, value)

        return either
    plain = _plain_converter(hint, marks)

    def required(path: str, value: Any) -> Any:
        if value is None:
            raise _problem(path, "is required")
        return plain(path, value)

    return required


def _annotated(hint: Any, marks: tuple[Any, ...]) -> Any:
    return Annotated[(hint, *marks)]  # type: ignore[valid-type]


def _plain_converter(hint: Any, marks: tuple[Any, ...]) -> Converter:
    for mark in marks:
        if isinstance(mark, type) and issubclass(mark, Enum):
            members = mark.__members__

            def member(path: str, value: Any, members: Any = members, mark: Any = mark) -> Any:
                if isinstance(value, str) and value in members:
                    return members[value].value
                raise _problem(path, f"{value!r} is not one of {', '.join(members)}")

            return member
        if mark is EuroCents:
            def cents(path: str, value: Any) -> Any:
                text = str(value) if isinstance(value, int | str) and not isinstance(
                    value, bool) else ""
                if not text.lstrip("-").isdigit():
                    raise _problem(path, "must be a whole number of euro cents")
                return int(text)

            return cents
    if get_origin(hint) is tuple:
        item = _converter(get_args(hint)[0])

        def items(path: str, value: Any) -> Any:
            if not isinstance(value, list):
                raise _problem(path, "must be a list")
            return tuple(item(f"{path}[{i}]", v) for i, v in enumerate(value))

        return items
    if dataclasses.is_dataclass(hint):
        def nested(path: str, value: Any) -> Any:
            if not isinstance(value, dict):
                raise _problem(path, "must be an object")
            return _object(path, hint, value)  # type: ignore[arg-type]

        return nested
    if hint is str:
        return _text
    return lambda path, value: _scalar(path, hint, value)


def _text(path: str, value: Any) -> Any:
    """`_scalar` for `str` (most fields), without its chain of tests."""
    if type(value) is str:
        return value
    return _scalar(path, str, value)


def _scalar(path: str, hint: Any, value: Any) -> Any:
    if hint is str:
        if not isinstance(value, str):
            raise _problem(path, "must be a string")
        return value
    try:
        if hint is datetime:
            return datetime.fromisoformat(value)
        if hint is date:
            return date.fromisoformat(value)
        if hint is UUID:
            return UUID(value)
        if hint is Decimal:
            return Decimal(str(value))
    except (TypeError, ValueError, InvalidOperation):
        raise _problem(path, f"{value!r} is not a valid {hint.__name__}") from None
    if hint is bool and not isinstance(value, bool):
        raise _problem(path, "must be true or false")
    if hint is int and (not isinstance(value, int) or isinstance(value, bool)):
        raise _problem(path, "must be an integer")
    return value


@cache
def _reading(kind: type, allowed: tuple[str, ...]) -> tuple[
        frozenset[str], tuple[tuple[str, str, Converter, bool], ...]]:
    """The input names a `kind` accepts, and (field, input name, converter, required) of each
    of its fields."""
    fields = _fields(kind)
    known = frozenset({name for _, name, _, _ in fields} | set(allowed))
    return known, tuple((field_name, name, _converter(hint), required)
                        for field_name, name, hint, required in fields)


@cache
def _paths(kind: type, allowed: tuple[str, ...], path: str) -> tuple[
        frozenset[str], tuple[tuple[str, str, str, Converter, bool], ...]]:
    """`_reading`, with each field's full path (`input.person.nationality`) made once."""
    known, fields = _reading(kind, allowed)
    return known, tuple((field_name, name, f"{path}.{name}", convert, required)
                        for field_name, name, convert, required in fields)


def _object(path: str, kind: type, given: dict[str, Any],
            allowed: tuple[str, ...] = ()) -> Any:
    known, fields = (_paths(kind, allowed, path) if "[" not in path  # (list items: uncached)
                     else _paths.__wrapped__(kind, allowed, path))
    if not known.issuperset(given):
        unknown = sorted(set(given) - known)
        raise _problem(f"{path}.{unknown[0]}", f"is not a field of {kind.__name__}")
    values: dict[str, Any] = {}
    for field_name, name, field_path, convert, required in fields:
        if name not in given:
            if required:
                raise _problem(field_path, "is required")
            continue
        values[field_name] = convert(field_path, given[name])
    return kind(**values)


def _meta(given: dict[str, Any], actor: Actor) -> CommandMeta:
    occurred = given.get("occurredAt")
    if occurred is None:
        raise _problem("input.occurredAt", "is required")
    command_id = given.get("commandId")
    if not isinstance(command_id, str) or not command_id:
        raise _problem("input.commandId", "is required in an import (a re-run skips the "
                                          "commands already recorded by it)")
    bases = given.get("legalBasis") or []
    if not isinstance(bases, list) or not all(
            isinstance(b, dict) and set(b) == {"act", "article"} for b in bases):
        raise _problem("input.legalBasis", "must be a list of {act, article}")
    refs = given.get("evidenceRefs") or []
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        raise _problem("input.evidenceRefs", "must be a list of strings")
    for name in ("correlationId", "causationId"):
        if given.get(name) is not None and not isinstance(given[name], str):
            raise _problem(f"input.{name}", "must be a string")
    return CommandMeta(
        actor=actor, occurred_at=_scalar("input.occurredAt", datetime, occurred),
        command_id=command_id, correlation_id=given.get("correlationId"),
        causation_id=given.get("causationId"),
        legal_basis=tuple(LegalBasis(str(b["act"]), str(b["article"])) for b in bases),
        evidence_refs=tuple(refs),
    )


_ACTOR_KEYS = frozenset({"id", "role", "authority", "memberState"})
#: The actors of the lines read so far (a caseload names a few hundred officers, each on many
#: lines: one `Actor`, frozen, for each), by principal and the line's actor fields.
_ACTORS: dict[tuple[Actor, tuple[Any, ...]], Actor] = {}
_ACTORS_MAX = 10_000


def _actor(given: Any, principal: Actor) -> Actor:
    if given is None:
        return principal
    if not isinstance(given, dict) or not _ACTOR_KEYS.issuperset(given):
        raise _problem("actor", "must be an object of id, role, authority, memberState")
    if not all(type(v) is str for v in given.values()):  # (read as `str` makes it, uncached)
        return _new_actor(given, principal)
    key = (principal, tuple(given.items()))
    known = _ACTORS.get(key)
    if known is None:
        known = _new_actor(given, principal)
        if len(_ACTORS) >= _ACTORS_MAX:
            _ACTORS.clear()
        _ACTORS[key] = known
    return known


def _new_actor(given: dict[str, Any], principal: Actor) -> Actor:
    member_state = given.get("memberState", principal.member_state)
    if principal.member_state != EU and member_state != principal.member_state:
        raise _problem("actor.memberState", f"this import acts for {principal.member_state}, "
                                            f"not {member_state}")
    return Actor(id=str(given.get("id", principal.id)), role=str(given.get("role",
                                                                           principal.role)),
                 authority=str(given.get("authority", principal.authority)),
                 member_state=str(member_state))


_LINE_KEYS = frozenset({"mutation", "input", "actor"})


def parse_line(number: int, text: str, principal: Actor) -> Item | None:
    """The item a line stands for (a refused item if it is malformed); None for a blank or
    comment line."""
    stripped = text.strip()
    if not stripped or stripped.startswith("//"):
        return None
    command_id = ""
    try:
        try:
            data = orjson.loads(stripped)
        except ValueError as error:
            raise _problem("line", f"is not JSON: {error}") from None
        if not isinstance(data, dict):
            raise _problem("line", "must be a JSON object")
        given = data.get("input")
        if isinstance(given, dict) and isinstance(given.get("commandId"), str):
            command_id = given["commandId"]
        if not _LINE_KEYS.issuperset(data):
            unknown = sorted(set(data) - _LINE_KEYS)
            raise _problem(unknown[0], "is not a key of an import line (mutation, input, actor)")
        name = data.get("mutation")
        kind = MUTATIONS.get(name) or COMMANDS.get(name)  # type: ignore[arg-type]
        if kind is None:
            raise _problem("mutation", f"{name!r} is no mutation that records a command")
        if not isinstance(given, dict):
            raise _problem("input", "must be an object")
        actor = _actor(data.get("actor"), principal)
        meta = _meta(given, actor)
        command = _object("input", kind, given, _ENVELOPE)
    except LedgerError as error:
        return Item(number, None, None, refusal=error, command_id=command_id)
    return Item(number, command, meta, command_id=command_id)


def read_items(lines: Iterable[str], principal: Actor, first: int = 1) -> Iterator[Item]:
    for number, text in enumerate(lines, first):
        item = parse_line(number, text, principal)
        if item is not None:
            yield item


# --- writing a file (the demo, the benchmark, a member state's exporter) ------------------------
def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, Enum):  # every vocabulary's member names equal its values
        return value.name
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {to_camel_case(f.name): _plain(getattr(value, f.name))
                for f in dataclasses.fields(value)}
    return value


def line_of(command: Any, meta: CommandMeta) -> str:
    """The import line for a command and its meta (the inverse of `parse_line`)."""
    given = _plain(command)
    given.update({
        "occurredAt": meta.occurred_at.isoformat(), "commandId": meta.command_id,
        "correlationId": meta.correlation_id, "causationId": meta.causation_id,
        "legalBasis": [{"act": b.act, "article": b.article} for b in meta.legal_basis],
        "evidenceRefs": list(meta.evidence_refs),
    })
    actor = meta.actor
    return json.dumps({
        "mutation": MUTATION_OF[type(command)], "input": given,
        "actor": {"id": actor.id, "role": actor.role, "authority": actor.authority,
                  "memberState": actor.member_state},
    }, ensure_ascii=False, separators=(",", ":"))
