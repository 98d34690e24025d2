"""Field-level checks of query arguments (filters, ids), with the same messages as commands'
(`ledger.validation`): a bad argument is a GraphQL error with code INVALID_INPUT that names
every field at fault. Values reach SQL only as bound parameters; these checks keep nonsense
(and attempts at injection) from reaching the database at all."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from graphql import GraphQLError

from ledger.validation import Problems
from schema.global_ids import unwrap_case_id


def raise_if_invalid(p: Problems) -> None:
    if p.items:
        raise GraphQLError(
            "Invalid input: " + "; ".join(f"{i.field}: {i.message}" for i in p.items),
            extensions={"code": "INVALID_INPUT",
                        "fields": [{"field": i.field, "message": i.message} for i in p.items]})


def text(p: Problems, field: str, value: str | None) -> None:
    if value is not None:
        p.text(field, value)


def texts(p: Problems, field: str, values: Iterable[str]) -> None:
    p.texts(field, values)


def country(p: Problems, field: str, value: str | None) -> None:
    if value is not None:
        p.country(field, value)


def at_least(p: Problems, field: str, value: int | None, least: int) -> None:
    """Positions and sizes of the log: never negative, a tree never empty."""
    if value is not None and value < least:
        p.add(field, f"must be {least} or more")


def aware(p: Problems, field: str, value: datetime | None) -> None:
    p.aware(field, value)


def uuid_text(p: Problems, field: str, value: object | None) -> str | None:
    """A case id (bare, or the case's global id) as the read models hold it (lower-case text),
    or None with a problem noted."""
    if value is None:
        return None
    value = unwrap_case_id(value)
    try:
        return str(UUID(str(value).strip()))
    except ValueError:
        p.add(field, "is not a case id (a UUID)")
        return None


def case_id_argument(value: object, field: str = "id") -> str:
    """A case id argument as the read models hold it; anything else is INVALID_INPUT."""
    p = Problems()
    case_id = uuid_text(p, field, value)
    raise_if_invalid(p)
    return case_id or ""
