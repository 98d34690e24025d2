"""Eurodac steps (Regulation (EU) 2024/1358): capture, transmission, hits, flags, marking."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ledger.case.eurodac.events import (
    BiometricsCaptured,
    EurodacHitReceived,
    EurodacMarked,
    EurodacTransmitted,
    EurodacUnmarked,
    SecurityFlagRecorded,
)
from ledger.case.guards import guard, require
from ledger.case.state import CaseState
from ledger.deadlines.durations import add_months
from ledger.envelope import LegalBasis, Step
from ledger.rules import define_rule
from ledger.vocabulary import EurodacCategory

if TYPE_CHECKING:
    from typing import Any

EURODAC = "Eurodac Regulation (EU) 2024/1358"

#: Art 29: years of retention from transmission. Temporary protection is unconfirmed in the
#: sources (a parameter, not a finding).
RETENTION_YEARS = {
    EurodacCategory.APPLICANT.value: 10,
    EurodacCategory.RESETTLEMENT.value: 5,
    EurodacCategory.IRREGULAR_CROSSING.value: 5,
    EurodacCategory.ILLEGALLY_STAYING.value: 5,
    EurodacCategory.SEARCH_AND_RESCUE.value: 5,
    EurodacCategory.TEMPORARY_PROTECTION.value: 1,
}
CAPTURE_ARTICLE = {
    EurodacCategory.APPLICANT.value: "Art 15(1)",
    EurodacCategory.RESETTLEMENT.value: "Art 18",
    EurodacCategory.IRREGULAR_CROSSING.value: "Art 22",
    EurodacCategory.ILLEGALLY_STAYING.value: "Art 23",
    EurodacCategory.SEARCH_AND_RESCUE.value: "Art 24",
    EurodacCategory.TEMPORARY_PROTECTION.value: "Art 26",
}

BIOMETRICS_UNDER_SIX = define_rule(
    "BIOMETRICS_UNDER_SIX", f"{EURODAC} Arts 15(1), 22(1), 24(1)",
    "Biometric data are taken only from persons aged six or over")
AGE_UNKNOWN = define_rule(
    "AGE_UNKNOWN", f"{EURODAC} Art 15(1)",
    "The age at capture must be known: record a date of birth or give an estimated age")
NOTHING_CAPTURED = define_rule(
    "NOTHING_CAPTURED", f"{EURODAC} Arts 15(1), 29",
    "Data are transmitted to Eurodac once, after biometric data were captured (retention runs "
    "from that transmission)")
MARK_REQUIRES_PROTECTION = define_rule(
    "MARK_REQUIRES_PROTECTION", f"{EURODAC} Art 31(1)",
    "Eurodac data (once transmitted) are marked when international protection is granted, "
    "and once")
NOT_MARKED = define_rule(
    "NOT_MARKED", f"{EURODAC} Art 31", "Only marked data can be unmarked")


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class EurodacSteps(CaseState):
    if TYPE_CHECKING:
        def trigger_event(self, event_class: Any, **kwargs: Any) -> None: ...

    def capture_biometrics(self, step: Step, category: str, age: int | None) -> None:
        guard(self, step)
        if self.date_of_birth is not None:
            age = age_on(self.date_of_birth, step.occurred_at.date())
        require(age is not None, AGE_UNKNOWN)
        assert age is not None
        require(age >= 6, BIOMETRICS_UNDER_SIX, f"age {age}")
        self.trigger_event(BiometricsCaptured,
                           envelope=step.envelope(LegalBasis(EURODAC, CAPTURE_ARTICLE[category])),
                           category=category, age_at_capture=age)

    def transmit_to_eurodac(self, step: Step, reference: str) -> None:
        guard(self, step)
        require(bool(self.eurodac.get("captured")) and not self.eurodac.get("transmitted"),
                NOTHING_CAPTURED, "transmitted already" if self.eurodac.get("transmitted")
                else None)
        category = self.eurodac["category"]
        until = add_months(step.occurred_at, 12 * RETENTION_YEARS[category]).date()
        self.trigger_event(EurodacTransmitted,
                           envelope=step.envelope(LegalBasis(EURODAC, "Arts 15(1), 29")),
                           reference=reference, category=category, retention_until=until)

    def record_eurodac_hit(self, step: Step, category: str, origin_member_state: str,
                           hit_ref: str) -> None:
        guard(self, step)
        self.trigger_event(EurodacHitReceived,
                           envelope=step.envelope(LegalBasis(EURODAC, "Art 27")),
                           category=category, origin_member_state=origin_member_state,
                           hit_ref=hit_ref)

    def record_security_flag(self, step: Step, reason: str) -> None:
        guard(self, step)
        self.trigger_event(SecurityFlagRecorded,
                           envelope=step.envelope(LegalBasis("AMMR (EU) 2024/1351", "Art 16(4)")),
                           reason=reason)

    def mark_in_eurodac(self, step: Step) -> None:
        guard(self, step)
        require(self.protected and bool(self.eurodac.get("transmitted"))
                and not self.eurodac.get("marked"), MARK_REQUIRES_PROTECTION)
        self.trigger_event(EurodacMarked,
                           envelope=step.envelope(LegalBasis(EURODAC, "Art 31(1)")))

    def unmark_in_eurodac(self, step: Step, reason: str) -> None:
        guard(self, step)
        require(bool(self.eurodac.get("marked")), NOT_MARKED)
        self.trigger_event(EurodacUnmarked,
                           envelope=step.envelope(LegalBasis(EURODAC, "Art 31(5)")),
                           reason=reason)
