"""Commands that record a member state's crisis or force-majeure period (Crisis Regulation
(EU) 2024/1359). The legal time of each (`occurredAt`) is when the decision was taken; the
period itself runs from `starts_at` to `until` (or its end), whenever it is recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from ledger.command_meta import Doc, MemberStateCode
from ledger.deadlines.catalogue import DEROGATIONS
from ledger.vocabulary import CrisisKind


@dataclass(frozen=True)
class DeclareCrisis:
    """A Council implementing decision authorises derogations for a member state (Art 4)."""

    member_state: MemberStateCode
    kind: Annotated[str, CrisisKind]
    starts_at: datetime
    until: Annotated[datetime, Doc("End of the period: at most three months (Art 5(1)).")]
    derogations: Annotated[tuple[str, ...], Doc(
        f"The derogations authorised that change deadlines: {', '.join(DEROGATIONS)}.")]
    decision_ref: Annotated[str, Doc("Reference of the Council implementing decision.")]


@dataclass(frozen=True)
class ExtendCrisis:
    """The running period is extended, once, by at most three months (Art 5(2))."""

    member_state: MemberStateCode
    until: datetime
    decision_ref: str


@dataclass(frozen=True)
class EndCrisis:
    """The running period ends (repealed, or no longer needed) at the step's legal time."""

    member_state: MemberStateCode


CRISIS_COMMANDS: tuple[type, ...] = (DeclareCrisis, ExtendCrisis, EndCrisis)
