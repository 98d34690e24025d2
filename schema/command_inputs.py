"""GraphQL input types generated from the command dataclasses of `ledger.case.commands`.

A step's fields are declared once, on its command; this module turns each command into an input
type (the command's own fields first, then the envelope fields every step accepts) and turns a
received input back into the command. Vocabularies (`Annotated[str, SomeEnum]`) become GraphQL
enums, `case_id` an `ID`, tuples lists, `Person` a `PersonInput`; `Doc` becomes the description.
"""

from __future__ import annotations

import dataclasses
import types
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints
from uuid import UUID

import strawberry

from ledger.case import commands as c
from ledger.command_meta import CommandMeta, Doc
from ledger.envelope import Actor
from ledger.envelope import LegalBasis as LegalBasisValue
from ledger.errors import FieldProblem, InvalidInput
from schema import enums, solidarity_enums  # noqa: F401  (decorate the vocabularies first)


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


_STEP_FIELDS: dict[str, tuple[Any, Any, str]] = {
    "occurred_at": (datetime, dataclasses.MISSING,
                    "Legal time of the step, with a time zone offset. Drives deadlines."),
    "command_id": (str | None, None,
                   "Idempotency key: the same commandId is never recorded twice."),
    "correlation_id": (str | None, None, "Groups the steps of one conversation or operation."),
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


def _split(hint: Any) -> tuple[Any, type[Enum] | None, str | None, bool]:
    """(base type, vocabulary, description, optional) of a command field's type hint."""
    vocabulary, doc = None, None
    if get_origin(hint) is Annotated:
        hint, *extras = get_args(hint)
        for extra in extras:
            if isinstance(extra, type) and issubclass(extra, Enum):
                vocabulary = extra
            elif isinstance(extra, Doc):
                doc = extra.text
    optional = False
    if get_origin(hint) in (Union, types.UnionType) and type(None) in get_args(hint):
        optional = True
        hint = next(a for a in get_args(hint) if a is not type(None))
    return hint, vocabulary, doc, optional


def _graphql_type(name: str, hint: Any, vocabulary: type[Enum] | None) -> Any:
    if name == "case_id":
        return strawberry.ID
    if vocabulary is not None:
        return vocabulary
    if hint is c.Person:
        return PersonInput
    if get_origin(hint) is tuple:
        return list[get_args(hint)[0]]  # type: ignore[misc]
    return hint


def input_type(command: type) -> type:
    """The strawberry input type for `command`, named `<Command>Input`."""
    hints = get_type_hints(command, include_extras=True)
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__module__": __name__}
    for f in dataclasses.fields(command):
        base, vocabulary, doc, optional = _split(hints[f.name])
        kind = _graphql_type(f.name, base, vocabulary)
        annotations[f.name] = kind | None if optional else kind
        if f.default is not dataclasses.MISSING:
            default = list(f.default) if isinstance(f.default, tuple) else f.default
            if isinstance(default, list):
                namespace[f.name] = strawberry.field(default_factory=lambda d=default: list(d),
                                                     description=doc)
            else:
                namespace[f.name] = strawberry.field(default=default, description=doc)
        elif doc:
            namespace[f.name] = strawberry.field(description=doc)
    for name, (kind, default, doc) in _STEP_FIELDS.items():
        annotations[name] = kind
        if default is dataclasses.MISSING:
            namespace[name] = strawberry.field(description=doc)
        elif default is list:
            namespace[name] = strawberry.field(default_factory=list, description=doc)
        else:
            namespace[name] = strawberry.field(default=default, description=doc)
    namespace["__annotations__"] = annotations
    cls = type(f"{command.__name__}Input", (_StepMixin,), namespace)
    return strawberry.input(cls, description=(command.__doc__ or "").split("\n\n")[0])


def to_command(command: type, received: Any) -> Any:
    """The command a received input stands for; malformed ids are refused by field."""
    hints = get_type_hints(command, include_extras=True)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(command):
        value = getattr(received, f.name)
        base, _, _, _ = _split(hints[f.name])
        if value is None:
            values[f.name] = None
        elif f.name == "case_id":
            values[f.name] = _uuid(value)
        elif isinstance(value, Enum):
            values[f.name] = value.value
        elif isinstance(value, PersonInput):
            values[f.name] = c.Person(value.nationality, value.date_of_birth,  # type: ignore[arg-type]
                                      value.unaccompanied_minor, value.family_name,
                                      value.given_names,
                                      str(value.person_id) if value.person_id else None)
        elif get_origin(base) is tuple:
            values[f.name] = tuple(value)
        else:
            values[f.name] = value
    return command(**values)


def _uuid(value: Any) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise InvalidInput([FieldProblem("caseId", "is not a case id")]) from None
