"""Detention as a typed value, and its vocabularies: the legal grounds with their articles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

RCD = "RCD (EU) 2024/1346"
AMMR = "AMMR (EU) 2024/1351"
APR = "APR (EU) 2024/1348"
RBPR = "Return Border Procedure Regulation (EU) 2024/1349"


class DetentionGround(str, Enum):
    """The legal grounds for detention; `GROUNDS` gives each its article and whether the
    reference (pact-rules-procedures.md §2.6, §3.11, §4.10) confirms it."""

    IDENTITY = "IDENTITY"
    ELEMENTS_OF_CLAIM = "ELEMENTS_OF_CLAIM"
    COMPLIANCE = "COMPLIANCE"
    BORDER_PROCEDURE = "BORDER_PROCEDURE"
    NATIONAL_SECURITY = "NATIONAL_SECURITY"
    TRANSFER_ABSCONDING = "TRANSFER_ABSCONDING"
    TRANSFER_SECURITY = "TRANSFER_SECURITY"
    RETURN_BORDER_PROCEDURE = "RETURN_BORDER_PROCEDURE"


@dataclass(frozen=True)
class GroundRule:
    act: str
    article: str
    confirmed: bool
    #: what the case must be in for the ground to apply (`steps.ground_applies`):
    #: APPLICANT, BORDER, TRANSFER or RETURN_BORDER
    needs: str
    #: the maximum-duration deadline this ground opens (None: no fixed maximum in our sources;
    #: RCD Art 11(1): as short as possible, only while the ground applies)
    maximum: str | None


#: Each ground's article. Letters of RCD Art 10(4) past (b) are not confirmed (§2.6: the text
#: seen stops at "(c) to ensure complian..."; further grounds believed, letters unknown).
GROUNDS: dict[str, GroundRule] = {
    DetentionGround.IDENTITY.value: GroundRule(RCD, "Art 10(4)(a)", True, "APPLICANT", None),
    DetentionGround.ELEMENTS_OF_CLAIM.value: GroundRule(RCD, "Art 10(4)(b)", True, "APPLICANT",
                                                        None),
    DetentionGround.COMPLIANCE.value: GroundRule(RCD, "Art 10(4)(c) (unconfirmed)", False,
                                                 "APPLICANT", None),
    # APR Art 54(1): the border procedure's applicants stay at the border without prejudice to
    # RCD Art 10; which letter of 10(4) is unconfirmed (§3.11). Capped by the border procedure.
    DetentionGround.BORDER_PROCEDURE.value: GroundRule(
        RCD, "Art 10(4) (letter unconfirmed); APR Art 54(1)", False, "BORDER",
        "DETENTION_MAX_BORDER"),
    DetentionGround.NATIONAL_SECURITY.value: GroundRule(
        RCD, "Art 10(4) (letter unconfirmed)", False, "APPLICANT", None),
    # AMMR Art 44: only for a risk of absconding or national security or public order (§4.10).
    DetentionGround.TRANSFER_ABSCONDING.value: GroundRule(AMMR, "Art 44", True, "TRANSFER",
                                                          "DETENTION_MAX_TRANSFER"),
    DetentionGround.TRANSFER_SECURITY.value: GroundRule(AMMR, "Art 44", True, "TRANSFER",
                                                        "DETENTION_MAX_TRANSFER"),
    # RBPR Art 5 (EUR-Lex summary only: unconfirmed); capped by Art 4(2)'s 12 weeks.
    DetentionGround.RETURN_BORDER_PROCEDURE.value: GroundRule(
        RBPR, "Art 5 (unconfirmed); Art 4(2)", False, "RETURN_BORDER",
        "DETENTION_MAX_RETURN_BORDER"),
}


class OrderingAuthority(str, Enum):
    """RCD Art 11(3): an order of an administrative authority is reviewed by a court."""

    ADMINISTRATIVE = "ADMINISTRATIVE"
    JUDICIAL = "JUDICIAL"


class ReleaseReason(str, Enum):
    GROUND_CEASED = "GROUND_CEASED"  # RCD Art 11(1)
    ALTERNATIVE_MEASURE = "ALTERNATIVE_MEASURE"  # RCD Art 10(2)
    MAXIMUM_DURATION = "MAXIMUM_DURATION"
    UNLAWFUL = "UNLAWFUL"  # RCD Art 11(3): found unlawful on review
    FOUND_MINOR = "FOUND_MINOR"  # RCD Art 13(2): an age assessment found an unaccompanied minor
    HEALTH_RISK = "HEALTH_RISK"  # RCD Art 13(1)


@dataclass(frozen=True)
class Detention:
    """The latest detention order. `current` while the person is detained under it."""

    ground: str
    ordered_by: str
    order_ref: str
    started_at: datetime
    #: RCD Art 13(2)(b): detained as an unaccompanied minor because it protects the minor
    minor_exception: bool = False
    review_requested_at: datetime | None = None
    reviewed_at: datetime | None = None
    found_lawful: bool | None = None
    ended_at: datetime | None = None
    release_reason: str | None = None

    @property
    def current(self) -> bool:
        return self.ended_at is None
