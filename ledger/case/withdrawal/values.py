"""Typed values the withdrawal procedure leaves on a case, and its vocabulary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum


class WithdrawalGround(str, Enum):
    """Why protection is reconsidered: QR Art 14(1) (refugee status) and Art 19(1) (subsidiary
    protection); cessation (Arts 11, 16) is itself a ground of withdrawal (14(1)(a), 19(1)(a))."""

    CESSATION_REAVAILMENT = "CESSATION_REAVAILMENT"  # Art 11(1)(a)
    CESSATION_NATIONALITY_REACQUIRED = "CESSATION_NATIONALITY_REACQUIRED"  # Art 11(1)(b)
    CESSATION_NEW_NATIONALITY = "CESSATION_NEW_NATIONALITY"  # Art 11(1)(c)
    CESSATION_REESTABLISHED = "CESSATION_REESTABLISHED"  # Art 11(1)(d)
    CESSATION_CIRCUMSTANCES = "CESSATION_CIRCUMSTANCES"  # Art 11(1)(e)-(f); Art 16
    EXCLUSION = "EXCLUSION"  # Art 14(1)(b); Art 19(1)(b)
    MISREPRESENTATION = "MISREPRESENTATION"  # Art 14(1)(c); Art 19(1)(c)
    DANGER_TO_SECURITY = "DANGER_TO_SECURITY"  # Art 14(1)(d)
    SERIOUS_CRIME = "SERIOUS_CRIME"  # Art 14(1)(e)


@dataclass(frozen=True)
class Withdrawal:
    """The latest reconsideration of protection. `state` is OPEN, INFORMED, WITHDRAWN or
    DISCONTINUED; `observations_at` when the person presented reasons (APR Art 66(1)(d))."""

    ground: str
    status_type: str  # the protection reconsidered: REFUGEE_STATUS or SUBSIDIARY_PROTECTION
    started_at: datetime
    state: str = "OPEN"
    informed_at: datetime | None = None
    observations_at: datetime | None = None
    decided_at: datetime | None = None
