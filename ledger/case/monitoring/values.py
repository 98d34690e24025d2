"""Typed values the monitoring mechanism leaves on a case, and its vocabularies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum


class AllegationSource(str, Enum):
    """Who brought the allegation to the mechanism (Screening Art 10(2)(b))."""

    APPLICANT = "APPLICANT"
    NGO = "NGO"
    OMBUDSPERSON = "OMBUDSPERSON"  # ombudspersons and national human-rights institutions
    STAFF = "STAFF"
    MONITOR = "MONITOR"  # found by the mechanism's own monitoring
    OTHER = "OTHER"


class MonitoredRight(str, Enum):
    """What the mechanism monitors (Screening Art 10(2)(a))."""

    ACCESS_TO_ASYLUM = "ACCESS_TO_ASYLUM"
    NON_REFOULEMENT = "NON_REFOULEMENT"
    BEST_INTERESTS_OF_THE_CHILD = "BEST_INTERESTS_OF_THE_CHILD"
    DETENTION = "DETENTION"
    OTHER_FUNDAMENTAL_RIGHT = "OTHER_FUNDAMENTAL_RIGHT"


class InvestigationOutcome(str, Enum):
    """How an investigation ended."""

    FAILURE_ESTABLISHED = "FAILURE_ESTABLISHED"
    NOT_ESTABLISHED = "NOT_ESTABLISHED"
    INCONCLUSIVE = "INCONCLUSIVE"


class Referral(str, Enum):
    """Screening Art 10(1): a case referred for civil or criminal proceedings, where
    appropriate."""

    NONE = "NONE"
    CIVIL = "CIVIL"
    CRIMINAL = "CRIMINAL"


@dataclass(frozen=True)
class Allegation:
    """One allegation. `state`: RECEIVED, INVESTIGATING or CLOSED."""

    allegation_no: int
    source: str
    concerns: str
    substantiated: bool
    scope: str  # SCREENING (Screening Art 10) or BORDER_PROCEDURE (APR Art 43(4))
    received_at: datetime
    state: str = "RECEIVED"
    body: str | None = None
    progress_reports: int = 0
    outcome: str | None = None
    referral: str | None = None
    closed_at: datetime | None = None
