"""Shape checks, before any rule of law is asked: codes, enums, lengths, times.

All problems of one command are reported together, each naming its field, so that a form can
mark every bad field at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import MISSING
from dataclasses import fields as dataclass_fields
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Annotated, Any, get_args, get_origin, get_type_hints

from ledger.case import commands as c
from ledger.command_meta import CommandMeta
from ledger.errors import FieldProblem, InvalidInput
from ledger.vocabulary import MemberState, is_country_code, is_member_state

MAX_TEXT = 200
MAX_LIST = 50


class Problems:
    def __init__(self) -> None:
        self.items: list[FieldProblem] = []

    def add(self, field: str, message: str) -> None:
        self.items.append(FieldProblem(field, message))

    def text(self, field: str, value: str | None, required: bool = True) -> None:
        if value is None or not value.strip():
            if required:
                self.add(field, "must not be empty")
            return
        if len(value) > MAX_TEXT:
            self.add(field, f"must be at most {MAX_TEXT} characters")
        if any(ord(ch) < 32 for ch in value):
            self.add(field, "must not contain control characters")

    def texts(self, field: str, values: Iterable[str]) -> None:
        values = list(values)
        if len(values) > MAX_LIST:
            self.add(field, f"must have at most {MAX_LIST} items")
        for i, value in enumerate(values):
            self.text(f"{field}[{i}]", value)

    def member_state(self, field: str, code: str) -> None:
        if not is_member_state(code):
            self.add(field, f"{code!r} is not an EU member state code (e.g. IT, EL, DE)")

    def country(self, field: str, code: str) -> None:
        if not is_country_code(code):
            self.add(field, f"{code!r} is not a two-letter ISO 3166-1 country code (XX: unknown)")

    def choice(self, field: str, value: str | None, kind: type[Enum]) -> None:
        if value is None:
            return
        allowed = [m.value for m in kind]  # type: ignore[attr-defined]
        if value not in allowed:
            self.add(field, f"{value!r} is not one of {', '.join(allowed)}")

    def aware(self, field: str, value: datetime | None) -> None:
        if value is not None and (value.tzinfo is None or value.utcoffset() is None):
            self.add(field, "must include a time zone offset")

    def person(self, person: c.Person, today: date) -> None:
        self.country("person.nationality", person.nationality)
        self.text("person.familyName", person.family_name, required=False)
        self.text("person.givenNames", person.given_names, required=False)
        if person.date_of_birth is not None and person.date_of_birth > today:
            self.add("person.dateOfBirth", "must not be in the future")


def check_meta(p: Problems, meta: CommandMeta) -> None:
    """The envelope fields every command carries."""
    p.aware("occurredAt", meta.occurred_at)
    for name, value in (
        ("commandId", meta.command_id),
        ("correlationId", meta.correlation_id),
        ("causationId", meta.causation_id),
    ):
        p.text(name, value, required=False)
    p.texts("evidenceRefs", meta.evidence_refs)
    for i, basis in enumerate(meta.legal_basis):
        p.text(f"legalBasis[{i}].act", basis.act)
        p.text(f"legalBasis[{i}].article", basis.article)


def raise_if_any(p: Problems) -> None:
    if p.items:
        raise InvalidInput(p.items)


_COUNTRY_FIELDS = frozenset({"nationality", "destination"})


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@cache
def _hints(command_type: type) -> dict[str, Any]:
    """Resolved once per command class: resolving string annotations costs more than the check."""
    return get_type_hints(command_type, include_extras=True)


def check_command(p: Problems, command: Any, today: date) -> None:
    """Check every field of a command dataclass from its type: vocabularies (`Annotated[str,
    SomeEnum]`), member states, texts, lists, people, time zones, counts."""
    hints = _hints(type(command))  # type: ignore[arg-type]
    for f in dataclass_fields(command):
        required = f.default is MISSING and f.default_factory is MISSING
        _check(p, camel(f.name), f.name, getattr(command, f.name), hints[f.name], required,
               today)


def _check(p: Problems, label: str, name: str, value: Any, hint: Any, required: bool,
           today: date) -> None:
    vocabulary = None
    if get_origin(hint) is Annotated:
        hint, *extras = get_args(hint)
        vocabulary = next((e for e in extras if isinstance(e, type) and issubclass(e, Enum)), None)
    if value is None:
        return
    if vocabulary is MemberState:
        p.member_state(label, value)
    elif vocabulary is not None:
        p.choice(label, value, vocabulary)
    elif isinstance(value, c.Person):
        p.person(value, today)
    elif isinstance(value, str):
        if name in _COUNTRY_FIELDS:
            p.country(label, value)
        else:
            p.text(label, value, required=required)
    elif isinstance(value, tuple):
        p.texts(label, value)
    elif isinstance(value, datetime):
        p.aware(label, value)
    elif isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= 10_000:
        p.add(label, "must be between 0 and 10000")
