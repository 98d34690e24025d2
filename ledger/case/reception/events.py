"""Reception conditions (RCD (EU) 2024/1346): allocation, special needs, reduction, work."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ledger.case.event_base import CaseEvent, stable
from ledger.case.phase import Phase
from ledger.case.reception.values import Reception
from ledger.personal_data.sealed import SealedValue

if TYPE_CHECKING:
    from ledger.case.state import CaseState


def _with(case: CaseState, **changes: object) -> None:
    case.reception = replace(case.reception or Reception(), **changes)  # type: ignore[arg-type]


class ReceptionEvent(CaseEvent):
    """An event of this phase; the timeline shows it under `RECEPTION`."""

    phase = Phase.RECEPTION


@stable("ReceptionAllocated")
class ReceptionAllocated(ReceptionEvent):
    """RCD Arts 7-9: where the applicant lives; material conditions may depend on it."""

    kind: str
    place: str
    residence_ground: str | None

    def apply_step(self, case: CaseState) -> None:
        _with(case, allocation=self.kind, place=self.place,
              residence_ground=self.residence_ground)


@stable("SpecialReceptionNeedsAssessed")
class SpecialReceptionNeedsAssessed(ReceptionEvent):
    """RCD Art 25(1): the assessment of special reception needs."""

    needs: tuple[str, ...]

    def apply_step(self, case: CaseState) -> None:
        _with(case, needs_assessed_at=self.envelope.occurred_at,
              special_needs=tuple(self.needs))


@stable("MaterialConditionsReduced")
class MaterialConditionsReduced(ReceptionEvent):
    """RCD Art 23 (unconfirmed) / Art 21: reduced or withdrawn, with individual reasons."""

    measure: str
    ground: str
    reason: str | SealedValue  # free text, sealed (ledger.personal_data.free_text)

    def apply_step(self, case: CaseState) -> None:
        level = "WITHDRAWN" if self.measure == "WITHDRAW" else "REDUCED"
        _with(case, material_conditions=level, reduction_ground=self.ground,
              reduction_reason=self.reason)


@stable("LabourMarketAccessGranted")
class LabourMarketAccessGranted(ReceptionEvent):
    """RCD Art 17(1): access to the labour market."""

    def apply_step(self, case: CaseState) -> None:
        _with(case, labour_market_access_at=self.envelope.occurred_at)


#: This phase's events (each pinned to its stable topic).
EVENTS: tuple[type[ReceptionEvent], ...] = (ReceptionAllocated, SpecialReceptionNeedsAssessed,
                                            MaterialConditionsReduced, LabourMarketAccessGranted)
