"""GraphQL input types generated from command dataclasses, for every aggregate alike.

A step's fields are declared once, on its command; this module turns each command into an input
type and turns a received input back into the command. Vocabularies (`Annotated[str, SomeEnum]`)
become GraphQL enums, money (`Annotated[int, EuroCents]`) the `Cents` scalar, `case_id` an `ID`,
tuples lists, the nested values of `NESTED_INPUTS` their input types; `Doc` becomes the
description. Every input also takes the envelope fields of a step (`occurredAt`, `commandId`,
...): after the command's own fields, or, for an aggregate whose `InputShape` says so, after its
key field (a solidarity step's `year`).
"""

from __future__ import annotations

import dataclasses
import types
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints
from uuid import UUID

import strawberry

from ledger.case.person import Person
from ledger.command_meta import CommandMeta, Doc
from ledger.envelope import Actor
from ledger.envelope import LegalBasis as LegalBasisValue
from ledger.errors import FieldProblem, InvalidInput
from ledger.solidarity.commands import EuroCents, KeyInput
from schema.enums import VOCABULARIES, MemberState
from schema.global_ids import unwrap_case_id
from schema.scalars import Cents


@strawberry.input
class LegalBasisInput:
    act: str
    article: str


@strawberry.input(description="Personal data of the applicant.")
class PersonInput:
    nationality: str = strawberry.field(description="ISO 3166-1 alpha-2; XX if unknown/stateless.")
    date_of_birth: date | None = None
    unaccompanied_minor: bool = False
    family_name: str | None = None
    given_names: str | None = None
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="The person id of an earlier case of the same person "
                                  "(`Case.personalData.personId`), to link this case to it; "
                                  "none: a new person id is minted. Names and date of birth "
                                  "are sealed with the case's key before anything is recorded.")


@strawberry.input(description="One member state's population and GDP (EUR million).")
class FairShareFiguresInput:
    member_state: MemberState
    population: int
    gdp_eur_millions: int


#: The value objects a command may hold, and the input type each is received as.
NESTED_INPUTS: dict[type, type] = {Person: PersonInput, KeyInput: FairShareFiguresInput}

#: Markers of `Annotated` command fields, and the GraphQL scalar each stands for.
SCALARS: dict[type, Any] = {EuroCents: Cents}


@dataclass(frozen=True)
class InputShape:
    """How an aggregate's inputs lay out the envelope of a step."""

    occurred_at: str  # the description of `occurredAt`: what legal time drives
    envelope_after: str | None = None  # the command field the envelope follows (None: the last)


CASE_SHAPE = InputShape("Legal time of the step, with a time zone offset. Drives deadlines.")


def _envelope(shape: InputShape) -> dict[str, tuple[Any, Any, str]]:
    return {
        "occurred_at": (datetime, dataclasses.MISSING, shape.occurred_at),
        "command_id": (str | None, None,
                       "Idempotency key: the same commandId is never recorded twice."),
        "correlation_id": (str | None, None,
                           "Groups the steps of one conversation or operation."),
        "causation_id": (str | None, None, "The message that caused this step."),
        "legal_basis": (list[LegalBasisInput], list,
                        "Further provisions, beside the one the ledger records for the step."),
        "evidence_refs": (list[str], list, "References to documents, recordings, reports."),
    }


class _StepMixin:
    """What every generated input can do: give the envelope of its step."""

    occurred_at: datetime
    command_id: str | None
    correlation_id: str | None
    causation_id: str | None
    legal_basis: list[LegalBasisInput]
    evidence_refs: list[str]

    def meta(self, actor: Actor) -> CommandMeta:
        return CommandMeta(
            actor=actor, occurred_at=self.occurred_at, command_id=self.command_id,
            correlation_id=self.correlation_id, causation_id=self.causation_id,
            legal_basis=tuple(LegalBasisValue(b.act, b.article) for b in self.legal_basis),
            evidence_refs=tuple(self.evidence_refs),
        )


def _split(hint: Any) -> tuple[Any, Any, str | None, bool]:
    """(base type, GraphQL type it is marked as or None, description, optional) of a command
    field's type hint."""
    marked, doc = None, None
    if get_origin(hint) is Annotated:
        hint, *extras = get_args(hint)
        for extra in extras:
            if isinstance(extra, type) and issubclass(extra, Enum):
                if extra not in VOCABULARIES:
                    raise TypeError(f"{extra.__name__} has no GraphQL enum in schema.enums")
                marked = extra
            elif isinstance(extra, type) and extra in SCALARS:
                marked = SCALARS[extra]
            elif isinstance(extra, Doc):
                doc = extra.text
    optional = False
    if get_origin(hint) in (Union, types.UnionType) and type(None) in get_args(hint):
        optional = True
        hint = next(a for a in get_args(hint) if a is not type(None))
    return hint, marked, doc, optional


def _graphql_type(name: str, hint: Any) -> Any:
    base, marked, _, optional = _split(hint)
    if name == "case_id":
        kind: Any = strawberry.ID
    elif marked is not None:
        kind = marked
    elif base in NESTED_INPUTS:
        kind = NESTED_INPUTS[base]
    elif get_origin(base) is tuple:
        kind = list[_graphql_type("", get_args(base)[0])]  # type: ignore[misc]
    else:
        kind = base
    return kind | None if optional else kind


def _field(default: Any, doc: str | None) -> Any:
    if default is dataclasses.MISSING:
        return strawberry.field(description=doc) if doc else None
    if default is list:
        return strawberry.field(default_factory=list, description=doc)
    if isinstance(default, tuple):
        values = list(default)
        return strawberry.field(default_factory=lambda: list(values), description=doc)
    return strawberry.field(default=default, description=doc)


def input_type(command: type, name: str, description: str | None,
               shape: InputShape = CASE_SHAPE) -> type:
    """The strawberry input type `name` for `command`."""
    hints = get_type_hints(command, include_extras=True)
    fields: list[tuple[str, Any, Any, str | None]] = [
        (f.name, _graphql_type(f.name, hints[f.name]), f.default, _split(hints[f.name])[2])
        for f in dataclasses.fields(command)]
    envelope = [(n, kind, default, doc) for n, (kind, default, doc) in _envelope(shape).items()]
    names = [f[0] for f in fields]
    cut = len(fields) if shape.envelope_after is None else names.index(shape.envelope_after) + 1
    lead, rest = fields[:cut], fields[cut:]
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__module__": __name__}
    for field_name, kind, default, doc in (*lead, *envelope, *rest):
        annotations[field_name] = kind
        spec = _field(default, doc)
        if spec is not None:
            namespace[field_name] = spec
    namespace["__annotations__"] = annotations
    cls = type(name, (_StepMixin,), namespace)
    return strawberry.input(cls, description=description)


def to_command(command: type, received: Any) -> Any:
    """The command a received input stands for; malformed ids are refused by field."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(command):
        value = getattr(received, f.name)
        values[f.name] = _uuid(value) if f.name == "case_id" and value is not None \
            else _value(value)
    return command(**values)


def _value(value: Any) -> Any:
    """A received value as the command holds it: enums by their value, lists as tuples, nested
    inputs as their value objects."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return tuple(_value(v) for v in value)
    for kind, input_kind in NESTED_INPUTS.items():
        if isinstance(value, input_kind):
            return kind(**{f.name: _value(getattr(value, f.name))
                           for f in dataclasses.fields(kind)})
    return value


def _uuid(value: Any) -> UUID:
    try:
        return UUID(str(unwrap_case_id(value)))
    except ValueError:
        raise InvalidInput([FieldProblem("caseId", "is not a case id")]) from None
