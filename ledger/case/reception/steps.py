"""Reception conditions (RCD (EU) 2024/1346): allocation (Arts 7-9), special reception needs
(Art 25), reduction or withdrawal of material conditions (Arts 21, 23) and access to the labour
market (Art 17). The time limits (Art 25(1): 30 days; Art 17(1): 6 months) are deadlines in
`ledger.deadlines.catalogue`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ledger.case.guards import guard, require
from ledger.case.reception.events import (
    LabourMarketAccessGranted,
    MaterialConditionsReduced,
    ReceptionAllocated,
    SpecialReceptionNeedsAssessed,
)
from ledger.case.reception.values import (
    ALLOCATION_ARTICLES,
    RCD,
    REDUCTION_ARTICLES,
    AllocationKind,
)
from ledger.case.state import CaseState
from ledger.envelope import LegalBasis, Step
from ledger.personal_data.sealed import SealedValue
from ledger.rules import define_rule

#: RCD Art 17(2): no labour-market access while the application is examined in the accelerated
#: procedure on these grounds of APR Art 42(1) (confirmed: FS/IB art 17, MPI).
LABOUR_MARKET_EXCLUDED_GROUNDS = frozenset("abcdef")
_ART_42_1 = re.compile(r"42\(1\)\(([a-z])\)")

RECEPTION_REQUIRES_APPLICATION = define_rule(
    "RECEPTION_REQUIRES_APPLICATION", f"{RCD} Art 19(1); APR (EU) 2024/1348 Art 26",
    "Reception conditions are for applicants: from the making of the application until the "
    "right to remain ends")
SPECIFIC_RESIDENCE_NEEDS_GROUND = define_rule(
    "SPECIFIC_RESIDENCE_NEEDS_GROUND", f"{RCD} Art 9(1)",
    "A specific place of residence only for public order or a risk of absconding (and only "
    "with one of these grounds)")
MATERIAL_CONDITIONS_WITHDRAWN = define_rule(
    "MATERIAL_CONDITIONS_WITHDRAWN", f"{RCD} Art 23 (unconfirmed)",
    "Material reception conditions are already withdrawn")
LABOUR_MARKET_NEEDS_REGISTRATION = define_rule(
    "LABOUR_MARKET_NEEDS_REGISTRATION", f"{RCD} Art 17(1)",
    "Access to the labour market is counted from registration; the application is not "
    "registered (or the right to remain ended)")
LABOUR_MARKET_EXCLUDED_ACCELERATED = define_rule(
    "LABOUR_MARKET_EXCLUDED_ACCELERATED", f"{RCD} Art 17(2)",
    "No access to the labour market while the application is examined in the accelerated "
    "procedure on APR Art 42(1)(a)-(f)")
LABOUR_MARKET_ALREADY_GRANTED = define_rule(
    "LABOUR_MARKET_ALREADY_GRANTED", f"{RCD} Art 17(1)",
    "Access to the labour market was already granted")


def excluded_from_labour_market(procedure: str | None, grounds: tuple[str, ...]) -> bool:
    """RCD Art 17(2): accelerated on a ground of APR Art 42(1)(a)-(f)."""
    if procedure != "ACCELERATED":
        return False
    letters = {m.group(1) for g in grounds for m in _ART_42_1.finditer(g)}
    return bool(letters & LABOUR_MARKET_EXCLUDED_GROUNDS)


class ReceptionSteps(CaseState):
    if TYPE_CHECKING:
        def trigger_event(self, event_class: Any, **kwargs: Any) -> None: ...

    def _reception_applicant(self, step: Step) -> None:
        guard(self, step)
        require(self.application_made_at is not None and not self.right_to_remain_ended,
                RECEPTION_REQUIRES_APPLICATION, f"case status is {self.status.value}")

    def allocate_reception(self, step: Step, kind: str, place: str,
                           residence_ground: str | None) -> None:
        self._reception_applicant(step)
        specific = kind == AllocationKind.SPECIFIC_RESIDENCE.value
        require(specific == (residence_ground is not None), SPECIFIC_RESIDENCE_NEEDS_GROUND,
                f"{kind} with ground {residence_ground}")
        self.trigger_event(ReceptionAllocated,
                           envelope=step.envelope(LegalBasis(RCD, ALLOCATION_ARTICLES[kind])),
                           kind=kind, place=place, residence_ground=residence_ground)

    def assess_special_reception_needs(self, step: Step, needs: tuple[str, ...]) -> None:
        self._reception_applicant(step)
        self.trigger_event(SpecialReceptionNeedsAssessed,
                           envelope=step.envelope(LegalBasis(RCD, "Art 25(1)")), needs=needs)

    def reduce_material_conditions(self, step: Step, measure: str, ground: str,
                                   reason: str | SealedValue) -> None:
        self._reception_applicant(step)
        require(self.reception is None or self.reception.material_conditions != "WITHDRAWN",
                MATERIAL_CONDITIONS_WITHDRAWN)
        self.trigger_event(MaterialConditionsReduced,
                           envelope=step.envelope(LegalBasis(RCD, REDUCTION_ARTICLES[ground])),
                           measure=measure, ground=ground, reason=reason)

    def grant_labour_market_access(self, step: Step) -> None:
        guard(self, step)
        require(self.registered_at is not None and not self.right_to_remain_ended,
                LABOUR_MARKET_NEEDS_REGISTRATION, f"case status is {self.status.value}")
        require(self.reception is None or self.reception.labour_market_access_at is None,
                LABOUR_MARKET_ALREADY_GRANTED)
        require(not excluded_from_labour_market(self.procedure, self.procedure_grounds),
                LABOUR_MARKET_EXCLUDED_ACCELERATED, ", ".join(self.procedure_grounds))
        self.trigger_event(LabourMarketAccessGranted,
                           envelope=step.envelope(LegalBasis(RCD, "Art 17(1)")))
