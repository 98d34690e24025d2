"""Screening (Regulation (EU) 2024/1356): who was screened and why, the checks, the outcome."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import Aggregate

from ledger.case.event_base import CaseEvent, stable
from ledger.case.phase import Phase
from ledger.vocabulary import CaseStatus, ScreeningOutcome

if TYPE_CHECKING:
    from ledger.case.state import CaseState



class ScreeningEvent(CaseEvent):
    """An event of this phase; the timeline shows it under `SCREENING`."""

    phase = Phase.SCREENING


@stable("CaseOpened")
class CaseOpened(ScreeningEvent, Aggregate.Created):
    """The ledger opens a case for one person in one member state's procedure."""

    member_state: str
    national_reference: str
    nationality: str
    date_of_birth: date | None
    unaccompanied_minor: bool
    family_name: str | None
    given_names: str | None

    def apply_step(self, case: CaseState) -> None:
        case.reset(self)


@stable("ScreeningStarted", version=2)
class ScreeningStarted(ScreeningEvent):
    """v2 added `held_over_72h` (Art 8(3): 4 days for persons held at the border over 72 h)."""

    trigger: str
    location: str
    held_over_72h: bool

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["held_over_72h"] = False

    def apply_step(self, case: CaseState) -> None:
        case.screening = "IN_PROGRESS"
        case.screening_trigger = self.trigger
        case.status = CaseStatus.SCREENING


@stable("HealthCheckRecorded")
class HealthCheckRecorded(ScreeningEvent):
    """Art 12(1)-(2): preliminary health check; emergency care given."""

    result: str

    def apply_step(self, case: CaseState) -> None:
        case.screening_checks["health"] = self.result


@stable("VulnerabilityCheckRecorded")
class VulnerabilityCheckRecorded(ScreeningEvent):
    """Art 12(3): preliminary vulnerability check and the special needs found."""

    needs: tuple[str, ...]

    def apply_step(self, case: CaseState) -> None:
        case.screening_checks["vulnerability"] = "NEEDS" if self.needs else "NONE"
        case.vulnerabilities = sorted(set(case.vulnerabilities) | set(self.needs))


@stable("IdentityChecked")
class IdentityChecked(ScreeningEvent):
    """Art 14: identity verified (method) or not established."""

    method: str
    established: bool

    def apply_step(self, case: CaseState) -> None:
        case.screening_checks["identity"] = "ESTABLISHED" if self.established else "NOT_ESTABLISHED"


@stable("SecurityCheckCompleted")
class SecurityCheckCompleted(ScreeningEvent):
    """Art 15: security check against the databases; a hit sets the security flag."""

    hit: bool
    databases: tuple[str, ...]

    def apply_step(self, case: CaseState) -> None:
        case.screening_checks["security"] = "HIT" if self.hit else "CLEAR"
        if self.hit:
            case.security_flag = True


@stable("InformationProvided")
class InformationProvided(ScreeningEvent):
    """Screening Art 11 (and APR, AMMR): what the person was told, in which language."""

    topics: tuple[str, ...]
    language: str

    def apply_step(self, case: CaseState) -> None:
        given = case.flags.setdefault("information", [])
        given.append({"topics": list(self.topics), "language": self.language})


@stable("RepresentativeAssigned")
class RepresentativeAssigned(ScreeningEvent):
    """Screening Art 13, AMMR Art 23(2): a representative for an unaccompanied minor."""

    kind: str
    representative_ref: str

    def apply_step(self, case: CaseState) -> None:
        case.representative = {"kind": self.kind, "ref": self.representative_ref}


@stable("ScreeningCompleted")
class ScreeningCompleted(ScreeningEvent):
    """Art 17-18: the screening form and the referral; screening ends on referral."""

    outcome: str
    form_ref: str
    incomplete_checks: tuple[str, ...]

    def apply_step(self, case: CaseState) -> None:
        case.screening = "COMPLETED"
        case.screening_outcome = self.outcome
        if self.outcome == ScreeningOutcome.REFER_TO_RETURN.value:
            case.status = CaseStatus.REFERRED_TO_RETURN


#: This phase's events (each pinned to its stable topic).
EVENTS: tuple[type[ScreeningEvent], ...] = (
    CaseOpened,
    ScreeningStarted,
    HealthCheckRecorded,
    VulnerabilityCheckRecorded,
    IdentityChecked,
    SecurityCheckCompleted,
    InformationProvided,
    RepresentativeAssigned,
    ScreeningCompleted,
)
