"""Shape checks, before any rule of law is asked: codes, enums, lengths, times.

All problems of one command are reported together, each naming its field, so that a form can
mark every bad field at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import MISSING
from dataclasses import fields as dataclass_fields
from datetime import UTC, date, datetime
from enum import Enum
from functools import cache
from typing import Annotated, Any, get_args, get_origin, get_type_hints
from uuid import UUID

from ledger.case import commands as c
from ledger.command_meta import CommandMeta
from ledger.countries import COUNTRY_CODES
from ledger.errors import FieldProblem, InvalidInput
from ledger.identifiers import is_identifier
from ledger.vocabulary import MemberState, is_member_state

MAX_TEXT = 200
MAX_LIST = 50
#: The caller's own legal bases besides the one the ledger names for the step.
MAX_LEGAL_BASIS = 10

#: Bidi embeddings, overrides and isolates: they reorder how text displays (spoofing).
_BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


#: Any character `not_text` refuses (one search instead of a call per character).
_NOT_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def not_text(ch: str) -> bool:
    """C0 and C1 control characters, DEL, lone surrogates, bidi overrides: never in text."""
    code = ord(ch)
    return code < 32 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or ch in _BIDI_CONTROLS


def has_text_only(value: str) -> bool:
    """No character of `value` is `not_text`. ASCII text is asked `str.isprintable` (whose only
    ASCII characters it refuses are those `not_text` refuses: C0 controls and DEL), half the
    cost of the search that any other text takes (most texts are ASCII ids: several a command)."""
    if value.isascii():
        return value.isprintable()
    return _NOT_TEXT.search(value) is None


def invisible(ch: str) -> bool:
    """Format characters (zero-width, joiners, bidi marks) and whitespace other than a space:
    in an identifier they make two different references read the same."""
    return unicodedata.category(ch) == "Cf" or (ch.isspace() and ch != " ")


#: The earliest legal time the ledger accepts (a parameter, not a rule of the Pact: the Dublin
#: Convention, the oldest instrument whose cases could still be carried forward, dates from 1990)
#: and the latest moment a filter may name. Every time in between converts to UTC and back.
EARLIEST_TIME = datetime(1990, 1, 1, tzinfo=UTC)
LATEST_TIME = datetime(2200, 1, 1, tzinfo=UTC)
#: The earliest date of birth accepted (a parameter: no applicant alive was born before it).
EARLIEST_BIRTH = date(1900, 1, 1)


@cache
def _choices(kind: type[Enum]) -> tuple[frozenset[Any], list[str]]:
    """A vocabulary's values, once per vocabulary (iterating an Enum is slow)."""
    allowed = [m.value for m in kind]
    return frozenset(allowed), allowed


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
        if not has_text_only(value):
            self.add(field, "must not contain control characters (C0, C1, DEL), lone "
                            "surrogates or bidi overrides")

    def identifier(self, field: str, value: str | None, required: bool = True) -> None:
        """A reference: text, without invisible characters (see `ledger.identifiers`)."""
        self.text(field, value, required)
        # (Only beyond ASCII: there, every invisible character is a control character too.)
        if value is not None and not value.isascii() and any(
                invisible(ch) and not not_text(ch) for ch in value):
            self.add(field, "must not contain invisible characters (zero-width, joiners, "
                            "direction marks) or whitespace other than spaces")

    def texts(self, field: str, values: Iterable[str]) -> None:
        values = list(values)
        if len(values) > MAX_LIST:
            self.add(field, f"must have at most {MAX_LIST} items")
        for i, value in enumerate(values[:MAX_LIST]):
            self.text(f"{field}[{i}]", value)

    def member_state(self, field: str, code: str) -> None:
        if not is_member_state(code):
            self.add(field, f"{code!r} is not an EU member state code (e.g. IT, EL, DE)")

    def country(self, field: str, code: str) -> None:
        if code not in COUNTRY_CODES:
            self.add(field, f"{code!r} is not an ISO 3166-1 alpha-2 country code (XX: unknown "
                            "or stateless)")

    def choice(self, field: str, value: str | None, kind: type[Enum]) -> None:
        if value is None:
            return
        values, allowed = _choices(kind)
        if not isinstance(value, str) or value not in values:
            self.add(field, f"{value!r} is not one of {', '.join(allowed)}")

    def aware(self, field: str, value: datetime | None) -> None:
        if value is None:
            return
        if value.tzinfo is None or value.utcoffset() is None:
            self.add(field, "must include a time zone offset")
        elif not EARLIEST_TIME <= value < LATEST_TIME:
            self.add(field, f"must be between {EARLIEST_TIME:%Y-%m-%d} and "
                            f"{LATEST_TIME:%Y-%m-%d} (UTC)")

    def person(self, person: c.Person, today: date) -> None:
        self.country("person.nationality", person.nationality)
        self.text("person.familyName", person.family_name, required=False)
        self.text("person.givenNames", person.given_names, required=False)
        if person.date_of_birth is not None and person.date_of_birth > today:
            self.add("person.dateOfBirth", "must not be in the future")
        elif person.date_of_birth is not None and person.date_of_birth < EARLIEST_BIRTH:
            self.add("person.dateOfBirth", f"must not be before {EARLIEST_BIRTH.isoformat()}")
        if person.person_id is not None and not is_uuid(person.person_id):
            self.add("person.personId", "must be the person id of an earlier case (a UUID)")


def is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


def check_meta(p: Problems, meta: CommandMeta) -> None:
    """The envelope fields every command carries."""
    p.aware("occurredAt", meta.occurred_at)
    for name, value in (
        ("commandId", meta.command_id),
        ("correlationId", meta.correlation_id),
        ("causationId", meta.causation_id),
    ):
        p.identifier(name, value, required=False)
    if len(meta.evidence_refs) > MAX_LIST:
        p.add("evidenceRefs", f"must have at most {MAX_LIST} items")
    for i, ref in enumerate(meta.evidence_refs[:MAX_LIST]):
        p.identifier(f"evidenceRefs[{i}]", ref)
    if len(meta.legal_basis) > MAX_LEGAL_BASIS:
        p.add("legalBasis", f"must have at most {MAX_LEGAL_BASIS} items")
    for i, basis in enumerate(meta.legal_basis[:MAX_LEGAL_BASIS]):
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


@cache
def _plan(command_type: type) -> tuple[tuple[str, str, Any, bool], ...]:
    """Per command class, once: each field's (label, name, vocabulary, required)."""
    hints = _hints(command_type)
    plan = []
    for f in dataclass_fields(command_type):
        hint, vocabulary = hints[f.name], None
        if get_origin(hint) is Annotated:
            vocabulary = next((e for e in get_args(hint)[1:]
                               if isinstance(e, type) and issubclass(e, Enum)), None)
        required = f.default is MISSING and f.default_factory is MISSING
        plan.append((camel(f.name), f.name, vocabulary, required))
    return tuple(plan)


def check_command(p: Problems, command: Any, today: date) -> None:
    """Check every field of a command dataclass from its type: vocabularies (`Annotated[str,
    SomeEnum]`), member states, texts, lists, people, time zones, counts."""
    for label, name, vocabulary, required in _plan(type(command)):  # type: ignore[arg-type]
        _check(p, label, name, getattr(command, name), vocabulary, required, today)


def _check(p: Problems, label: str, name: str, value: Any, vocabulary: Any, required: bool,
           today: date) -> None:
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
        elif is_identifier(name):
            p.identifier(label, value, required=required)
        else:
            p.text(label, value, required=required)
    elif isinstance(value, tuple):
        p.texts(label, value)
    elif isinstance(value, datetime):
        p.aware(label, value)
    elif isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= 10_000:
        p.add(label, "must be between 0 and 10000")
