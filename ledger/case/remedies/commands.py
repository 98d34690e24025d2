"""Remedies: what a caller asks the ledger to record, one dataclass per step.

Commands are plain data. Fields typed `Annotated[str, SomeEnum]` take that vocabulary's values;
`Doc` attaches the sentence an API shows for a field. The GraphQL schema is generated from these
classes; each docstring says what the step records and under which article.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from ledger.vocabulary import (
    AppealOutcome,
    DecisionType,
)


@dataclass(frozen=True)
class LodgeAppeal:
    """An appeal against the standing decision (APR Art 67); its suspensive effect follows from
    Art 68."""

    case_id: UUID
    appeal_body: str


@dataclass(frozen=True)
class LodgeRequestToRemain:
    """A request to remain during an appeal without automatic suspensive effect (APR Art 68)."""

    case_id: UUID


@dataclass(frozen=True)
class DecideRequestToRemain:
    """The court decides the request to remain (APR Art 68(5))."""

    case_id: UUID
    granted: bool


@dataclass(frozen=True)
class DecideAppeal:
    """The pending appeal is decided (APR Art 67)."""

    case_id: UUID
    outcome: Annotated[str, AppealOutcome]
    substituted_decision_type: Annotated[str | None, DecisionType] = None


@dataclass(frozen=True)
class DeclareDecisionFinal:
    """The standing decision is final: the appeal period passed or remedies are exhausted."""

    case_id: UUID


#: This phase's commands, in the order an API lists them.
COMMANDS: tuple[type, ...] = (
    LodgeAppeal,
    LodgeRequestToRemain,
    DecideRequestToRemain,
    DecideAppeal,
    DeclareDecisionFinal,
)
