"""Reception conditions: what a caller asks the ledger to record (RCD (EU) 2024/1346)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from ledger.case.reception.values import (
    AllocationKind,
    ReductionGround,
    ReductionMeasure,
    ResidenceGround,
)
from ledger.command_meta import Doc


@dataclass(frozen=True)
class AllocateReception:
    """Accommodation, a geographical area or a specific place of residence is allocated (RCD
    Arts 7-9); material reception conditions are available from the making of the application
    (RCD Art 19(1), APR Art 26)."""

    case_id: UUID
    kind: Annotated[str, AllocationKind, Doc(
        "ACCOMMODATION (RCD Art 7, number unconfirmed), GEOGRAPHICAL_AREA (Art 8) or "
        "SPECIFIC_RESIDENCE (Art 9).")]
    place: Annotated[str, Doc("The reception centre, area or address (a reference).")]
    residence_ground: Annotated[str | None, ResidenceGround, Doc(
        "Required for SPECIFIC_RESIDENCE: PUBLIC_ORDER or RISK_OF_ABSCONDING (RCD Art 9(1)).")] \
        = None


@dataclass(frozen=True)
class AssessSpecialReceptionNeeds:
    """The assessment of special reception needs, completed within 30 days of the making of the
    application (RCD Art 25(1))."""

    case_id: UUID
    needs: Annotated[tuple[str, ...], Doc(
        "The special reception needs found (none: an empty list).")] = ()


@dataclass(frozen=True)
class ReduceMaterialConditions:
    """Material reception conditions are reduced or withdrawn by an individual, reasoned,
    proportionate decision (RCD Art 23, unconfirmed; Art 21, number unconfirmed); a dignified
    standard of living and health care remain."""

    case_id: UUID
    measure: Annotated[str, ReductionMeasure, Doc("REDUCE or WITHDRAW.")]
    ground: Annotated[str, ReductionGround, Doc(
        "The ground (RCD Art 23, list unconfirmed; OUTSIDE_STATE_OF_PRESENCE: Art 21).")]
    reason: Annotated[str, Doc(
        "The individual reasons (required; sealed as personal data).")]


@dataclass(frozen=True)
class GrantLabourMarketAccess:
    """Access to the labour market, due no later than 6 months from registration while no
    first-instance decision is taken (RCD Art 17(1)); none in the accelerated procedure on
    APR Art 42(1)(a)-(f) (Art 17(2))."""

    case_id: UUID


#: This phase's commands, in the order an API lists them.
COMMANDS: tuple[type, ...] = (AllocateReception, AssessSpecialReceptionNeeds,
                              ReduceMaterialConditions, GrantLabourMarketAccess)
