"""Access to the procedure: what a caller asks the ledger to record, one dataclass per step.

Commands are plain data. Fields typed `Annotated[str, SomeEnum]` take that vocabulary's values;
`Doc` attaches the sentence an API shows for a field. The GraphQL schema is generated from these
classes; each docstring says what the step records and under which article.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from ledger.case.person import Person
from ledger.command_meta import MemberStateCode


@dataclass(frozen=True)
class MakeApplication:
    """An application is made (APR Art 26); opens the case if none exists for
    (memberState, nationalReference), and then `person` is required."""

    member_state: MemberStateCode
    national_reference: str
    place: str
    person: Person | None = None


@dataclass(frozen=True)
class RegisterApplication:
    """The application is registered (APR Art 27)."""

    case_id: UUID


@dataclass(frozen=True)
class LodgeApplication:
    """The application is lodged (APR Art 28)."""

    case_id: UUID


@dataclass(frozen=True)
class MakeSubsequentApplication:
    """A further application after a final decision (APR Art 55)."""

    case_id: UUID
    new_elements: bool


#: This phase's commands, in the order an API lists them.
COMMANDS: tuple[type, ...] = (
    MakeApplication,
    RegisterApplication,
    LodgeApplication,
    MakeSubsequentApplication,
)
