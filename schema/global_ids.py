"""Global ids (Relay's object identification): opaque, type-prefixed base64 of
`<Type>:<part>|<part>...`, the same form as a list's cursors. `node(id:)` reads the type from the
id; arguments that take a case id accept a case's global id as well as its bare UUID, so that a
client may pass `Case.id` wherever a `caseId` is asked for.
"""

from __future__ import annotations

import base64
import binascii
from uuid import UUID

import strawberry

#: The types a global id names (its prefix): a case, an event of the log (by its position),
#: a decision (case and number), a deadline (case, rule, position of the step that opened it),
#: a solidarity cycle (its year).
CASE = "Case"
EVENT = "Event"
DECISION = "Decision"
DEADLINE = "Deadline"
CYCLE = "SolidarityCycle"


def global_id(kind: str, *parts: object) -> strawberry.ID:
    text = f"{kind}:" + "|".join(str(p) for p in parts)
    return strawberry.ID(base64.urlsafe_b64encode(text.encode()).decode())


def parse_global_id(value: object) -> tuple[str, list[str]] | None:
    """(type, parts) of a global id; None for anything that is not one."""
    try:
        text = base64.urlsafe_b64decode(str(value).strip().encode()).decode()
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    kind, colon, rest = text.partition(":")
    if not colon or not kind.isalpha() or not rest:
        return None
    return kind, rest.split("|")


def unwrap_case_id(value: object) -> object:
    """A case's bare id if `value` is its global id (a UUID as text is left as it is)."""
    text = str(value).strip()
    try:
        UUID(text)
        return value
    except ValueError:
        pass
    parsed = parse_global_id(text)
    if parsed is not None and parsed[0] == CASE and len(parsed[1]) == 1:
        return parsed[1][0]
    return value


@strawberry.interface(description="An object with a global id (Relay's object identification): "
                                  "read it again with `node(id:)`.")
class Node:
    id: strawberry.ID = strawberry.field(description=(
        "Global id: opaque, stable, unique across types; pass it to `node(id:)`."))
