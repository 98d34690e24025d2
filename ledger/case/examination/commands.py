"""Examination: what a caller asks the ledger to record, one dataclass per step.

Commands are plain data. Fields typed `Annotated[str, SomeEnum]` take that vocabulary's values;
`Doc` attaches the sentence an API shows for a field. The GraphQL schema is generated from these
classes; each docstring says what the step records and under which article.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from uuid import UUID

from ledger.command_meta import Doc
from ledger.vocabulary import (
    DecisionType,
    Procedure,
)


@dataclass(frozen=True)
class AssignProcedure:
    """An examination procedure is assigned (APR Arts 35-44); the EU-wide recognition rate of
    the nationality is recorded with it and may make the border procedure mandatory."""

    case_id: UUID
    procedure: Annotated[str, Procedure]
    grounds: Annotated[tuple[str, ...], Doc("E.g. 'APR Art 42(1)(j)'.")] = ()


@dataclass(frozen=True)
class RecordInterview:
    """A personal interview (APR Arts 11-14)."""

    case_id: UUID
    interview_ref: str
    language: str
    interpreter: bool = False


@dataclass(frozen=True)
class ExtendExamination:
    """The examination time limit is extended (APR Art 35(2), (5)) by calendar months and/or
    days (Reg. 1182/71: months are calendar months)."""

    case_id: UUID
    reason: str
    days: int = 0
    months: int = 0


@dataclass(frozen=True)
class IssueDecision:
    """A first-instance decision (APR Art 35). A rejection needs `withReturnDecision` (the return
    decision issued with it, Art 37) or a `returnException`."""

    case_id: UUID
    decision_type: Annotated[str, DecisionType]
    ground: Annotated[str, Doc("The legal ground the decision rests on.")]
    notified_at: Annotated[datetime | None, Doc("When the applicant was notified.")] = None
    with_return_decision: bool = False
    voluntary_departure_days: int | None = None
    return_exception: Annotated[str | None, Doc(
        "Why no return decision accompanies a rejection (Return Directive Art 6(4)).")] = None


@dataclass(frozen=True)
class NotifyDecision:
    """The standing decision is notified to the applicant (the appeal period starts)."""

    case_id: UUID


#: This phase's commands, in the order an API lists them.
COMMANDS: tuple[type, ...] = (
    AssignProcedure,
    RecordInterview,
    ExtendExamination,
    IssueDecision,
    NotifyDecision,
)
