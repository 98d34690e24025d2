"""Reception conditions (RCD (EU) 2024/1346) as a typed value, and their vocabularies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from ledger.personal_data.sealed import SealedValue

RCD = "RCD (EU) 2024/1346"


class AllocationKind(str, Enum):
    """Where the applicant is to live (pact-rules-procedures §2.2-2.4)."""

    ACCOMMODATION = "ACCOMMODATION"  # Art 7 (number unconfirmed), housing in kind Art 20
    GEOGRAPHICAL_AREA = "GEOGRAPHICAL_AREA"  # Art 8(1)-(4), confirmed
    SPECIFIC_RESIDENCE = "SPECIFIC_RESIDENCE"  # Art 9(1)-(3), confirmed


ALLOCATION_ARTICLES = {AllocationKind.ACCOMMODATION.value: "Art 7 (number unconfirmed)",
                       AllocationKind.GEOGRAPHICAL_AREA.value: "Art 8",
                       AllocationKind.SPECIFIC_RESIDENCE.value: "Art 9(1)"}


class ResidenceGround(str, Enum):
    """RCD Art 9(1) (confirmed): a specific place of residence for public order, or a risk of
    absconding."""

    PUBLIC_ORDER = "PUBLIC_ORDER"
    RISK_OF_ABSCONDING = "RISK_OF_ABSCONDING"


class ReductionMeasure(str, Enum):
    REDUCE = "REDUCE"
    WITHDRAW = "WITHDRAW"


class ReductionGround(str, Enum):
    """Grounds to reduce or withdraw material reception conditions. RCD Art 23's list is
    unconfirmed in our sources (§2.16: believed, mirrored nationally by IE s.86); the rule of
    Art 21 (number unconfirmed) is confirmed by the EUR-Lex summary (§2.15)."""

    ABANDONED_RESIDENCE = "ABANDONED_RESIDENCE"
    ABSCONDING = "ABSCONDING"
    NON_COOPERATION = "NON_COOPERATION"
    SUBSEQUENT_APPLICATION = "SUBSEQUENT_APPLICATION"
    CONCEALED_RESOURCES = "CONCEALED_RESOURCES"
    HOUSE_RULES_BREACH = "HOUSE_RULES_BREACH"
    VIOLENT_BEHAVIOUR = "VIOLENT_BEHAVIOUR"
    OUTSIDE_STATE_OF_PRESENCE = "OUTSIDE_STATE_OF_PRESENCE"


#: Each ground's article; "(unconfirmed)" where our sources do not confirm it.
REDUCTION_ARTICLES = {
    **{g.value: "Art 23 (unconfirmed)" for g in ReductionGround},
    ReductionGround.OUTSIDE_STATE_OF_PRESENCE.value: "Art 21 (number unconfirmed)",
}


@dataclass(frozen=True)
class Reception:
    """The applicant's reception: allocation, special needs assessed, material conditions
    (FULL, REDUCED or WITHDRAWN) and labour-market access."""

    allocation: str | None = None
    place: str | None = None
    residence_ground: str | None = None
    needs_assessed_at: datetime | None = None
    special_needs: tuple[str, ...] = ()
    material_conditions: str = "FULL"
    reduction_ground: str | None = None
    #: why: free text, sealed with the case key (`ledger.personal_data.free_text`)
    reduction_reason: str | SealedValue | None = None
    labour_market_access_at: datetime | None = None
