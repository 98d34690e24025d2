"""What a mutation returns: success, or one of the refusals a client must be able to handle.

Refusals are data in the schema (a union), not GraphQL errors: a front end switches on
`__typename` and shows the rule, its article and the fields at fault.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry

from ledger import errors
from schema.cases.types import Case
from schema.enums import MemberState
from schema.timeline.types import TimelineEvent


@strawberry.interface(description="A refused command. Nothing was recorded.")
class CommandError:
    code: str = strawberry.field(description="Stable machine-readable code.")
    message: str


@strawberry.type(description="The step was recorded (or had been, for a replayed commandId).")
class CommandSucceeded:
    case_id: strawberry.ID = strawberry.field(
        description="The case the step was about; for a step on another aggregate (a solidarity "
                    "cycle or account, a crisis regime) that aggregate's id, as `aggregateId`."
    )
    version: int
    replayed: bool = strawberry.field(
        description="True when this commandId had already been recorded: nothing new was written."
    )
    command_id: str = strawberry.field(
        default="", description="The command id the step was recorded under (the one sent, or "
                                  "the one the ledger chose).")

    position: int = strawberry.field(
        default=0, description="The command's place in the ledger's global order (its last "
        "event's position; for a replayed command, the log's end when it was answered): a "
        "consistency token. A query sent with the header `X-Pact-Min-Position: <position>` "
        "is answered from read models that include it.")
    #: Reads the read models once they include the command: (current, case, events).
    read_back: strawberry.Private[
        Callable[[], Awaitable[tuple[bool, Case | None, list[TimelineEvent]]]]] = None  # type: ignore[assignment]

    @strawberry.field(description="True when `case` and the timeline already include this "
                                  "command's events. Selecting it, `case` or `events` makes the "
                                  "answer wait (bounded) for the read models; without them the "
                                  "answer returns as soon as the command is committed.")
    async def read_models_current(self) -> bool:
        return (await self.read_back())[0]

    @strawberry.field(description="The case as it stands after the step (null for a step on "
                                  "another aggregate, or for a principal who reads no cases).")
    async def case(self) -> Case | None:
        return (await self.read_back())[1]

    @strawberry.field(description="The events this command recorded (empty when they could "
                                  "not be read back: `readModelsCurrent` is then false; they are "
                                  "recorded all the same).")
    async def events(self) -> list[TimelineEvent]:
        return (await self.read_back())[2]

    @strawberry.field(description="The aggregate the command was about: a case, a solidarity "
                                  "cycle or account, a crisis regime.")
    def aggregate_id(self) -> strawberry.ID:
        return self.case_id


@strawberry.type(description="The law (or the ledger's integrity) does not allow this step now.")
class RuleViolation(CommandError):
    rule: str = strawberry.field(description="Stable rule code, e.g. APPEAL_REQUIRES_DECISION.")
    article: str = strawberry.field(description="The provision that lays the rule down.")


@strawberry.type
class FieldError:
    field: str
    message: str


@strawberry.type(description="Malformed input; every bad field is listed.")
class InvalidInput(CommandError):
    fields: list[FieldError]


@strawberry.type
class CaseNotFound(CommandError):
    case_id: strawberry.ID


@strawberry.type(description="A case with this member state and national reference exists.")
class CaseAlreadyExists(CommandError):
    member_state: MemberState = strawberry.field(
        description="The member state of the existing case.")
    national_reference: str


@strawberry.type(description="The case kept changing concurrently; send the command again.")
class ConcurrentChange(CommandError):
    pass


@strawberry.type(description="The principal's role or member state does not allow this step "
                             "(code FORBIDDEN). Nothing was recorded. A case outside the "
                             "principal's member state is refused as `CaseNotFound`.")
class Forbidden(CommandError):
    pass


@strawberry.type(description="The ledger failed before recording anything (the failure has been "
                             "logged): nothing was recorded; the command may be sent again.")
class NotRecorded(CommandError):
    pass


@strawberry.type(description="The ledger cannot tell whether the command was recorded (the "
                             "database failed while committing). Send the same command again "
                             "with this `commandId`: a command id is recorded at most once. "
                             "Never send it with a new id: the step could be recorded twice.")
class OutcomeUnknown:
    code: str = strawberry.field(description="OUTCOME_UNKNOWN.")
    message: str
    command_id: str


CommandResult = Annotated[
    CommandSucceeded | RuleViolation | InvalidInput | CaseNotFound | CaseAlreadyExists
    | ConcurrentChange | Forbidden | NotRecorded | OutcomeUnknown,
    strawberry.union("CommandResult"),
]


def refusal(error: errors.LedgerError) -> CommandError:
    """The schema's form of a domain refusal."""
    match error:
        case errors.RuleViolation():
            return RuleViolation(
                code=error.code, message=error.message, rule=error.rule.code,
                article=error.rule.article,
            )
        case errors.InvalidInput():
            return InvalidInput(
                code=error.code, message=error.message,
                fields=[FieldError(field=p.field, message=p.message) for p in error.problems],
            )
        case errors.CaseNotFound():
            return CaseNotFound(
                code=error.code, message=error.message, case_id=strawberry.ID(str(error.case_id))
            )
        case errors.CaseAlreadyExists():
            return CaseAlreadyExists(
                code=error.code, message=error.message,
                member_state=MemberState(error.member_state),
                national_reference=error.reference,
            )
        case errors.Forbidden():
            return Forbidden(code=error.code, message=error.message)
        case _:
            return ConcurrentChange(code=error.code, message=error.message)
