"""Eurodac (Regulation (EU) 2024/1358). Only references and dates are kept here, never biometric
data: the ledger records that data were captured and sent, not the data."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from ledger.case.eurodac.values import EurodacHit
from ledger.case.event_base import CaseEvent, stable
from ledger.case.phase import Phase
from ledger.personal_data.sealed import SealedValue

if TYPE_CHECKING:
    from ledger.case.state import CaseState



class EurodacEvent(CaseEvent):
    """An event of this phase; the timeline shows it under `EURODAC`."""

    phase = Phase.EURODAC


@stable("BiometricsCaptured")
class BiometricsCaptured(EurodacEvent):
    """Arts 15, 22, 23, 24: fingerprints and facial image taken (age 6 and over)."""

    category: str
    age_at_capture: int

    def apply_step(self, case: CaseState) -> None:
        case.eurodac = replace(case.eurodac, category=self.category, captured=True)


@stable("EurodacTransmitted")
class EurodacTransmitted(EurodacEvent):
    """Art 15(1) and Art 29: sent to the central system; retention runs from transmission."""

    reference: str
    category: str
    retention_until: date

    def apply_step(self, case: CaseState) -> None:
        case.eurodac = replace(case.eurodac, reference=self.reference, transmitted=True,
                               retention_until=self.retention_until)


@stable("EurodacHitReceived")
class EurodacHitReceived(EurodacEvent):
    """A hit: the person's data were recorded earlier by another member state."""

    category: str
    origin_member_state: str
    hit_ref: str

    def apply_step(self, case: CaseState) -> None:
        case.hits = (*case.hits, EurodacHit(category=self.category,
                                             origin=self.origin_member_state, ref=self.hit_ref,
                                             received_at=self.envelope.occurred_at))


@stable("SecurityFlagRecorded")
class SecurityFlagRecorded(EurodacEvent):
    """Eurodac Art 17 / AMMR Art 16(4): a security flag (violence, arms, terrorism links)."""

    reason: str | SealedValue  # free text, sealed (ledger.personal_data.free_text)

    def apply_step(self, case: CaseState) -> None:
        case.security_flag = True


@stable("EurodacMarked")
class EurodacMarked(EurodacEvent):
    """Art 31: the data are marked once international protection is granted."""

    def apply_step(self, case: CaseState) -> None:
        case.eurodac = replace(case.eurodac, marked=True)


@stable("EurodacUnmarked")
class EurodacUnmarked(EurodacEvent):
    """Art 31: unmarked when protection is withdrawn (QR Arts 14, 19)."""

    reason: str | SealedValue  # free text, sealed (ledger.personal_data.free_text)

    def apply_step(self, case: CaseState) -> None:
        case.eurodac = replace(case.eurodac, marked=False)


#: This phase's events (each pinned to its stable topic).
EVENTS: tuple[type[EurodacEvent], ...] = (
    BiometricsCaptured,
    EurodacTransmitted,
    EurodacHitReceived,
    SecurityFlagRecorded,
    EurodacMarked,
    EurodacUnmarked,
)
