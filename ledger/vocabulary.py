"""The closed vocabularies of the case ledger: codes and kinds that events carry as plain strings.

Events store the `.value` strings, never enum objects, so that the stored record stays readable
without this code and an enum can grow without an upcaster.
"""

from __future__ import annotations

from enum import Enum


class MemberState(str, Enum):
    """The 27 member states, by the EU's own country codes (Greece is EL, not GR)."""

    AT = "AT"
    BE = "BE"
    BG = "BG"
    CY = "CY"
    CZ = "CZ"
    DE = "DE"
    DK = "DK"
    EE = "EE"
    EL = "EL"
    ES = "ES"
    FI = "FI"
    FR = "FR"
    HR = "HR"
    HU = "HU"
    IE = "IE"
    IT = "IT"
    LT = "LT"
    LU = "LU"
    LV = "LV"
    MT = "MT"
    NL = "NL"
    PL = "PL"
    PT = "PT"
    RO = "RO"
    SE = "SE"
    SI = "SI"
    SK = "SK"


MEMBER_STATES: frozenset[str] = frozenset(m.value for m in MemberState)



def is_member_state(code: str) -> bool:
    return code in MEMBER_STATES


def is_country_code(code: str) -> bool:
    """An ISO 3166-1 alpha-2 code (`ledger.countries`); XX: stateless or unknown nationality."""
    from ledger.countries import COUNTRY_CODES

    return code in COUNTRY_CODES


class ScreeningTrigger(str, Enum):
    """Why a person is screened (Screening Regulation 2024/1356 Art 5 and Art 7)."""

    IRREGULAR_CROSSING = "IRREGULAR_CROSSING"  # Art 5(1)(a)
    SEARCH_AND_RESCUE = "SEARCH_AND_RESCUE"  # Art 5(1)(b)
    BORDER_CROSSING_POINT_APPLICATION = "BORDER_CROSSING_POINT_APPLICATION"  # Art 5(2)
    WITHIN_TERRITORY = "WITHIN_TERRITORY"  # Art 7


class ScreeningOutcome(str, Enum):
    """Where the screening form sends the person (Screening Regulation Art 18)."""

    REFER_TO_REGISTRATION = "REFER_TO_REGISTRATION"
    REFER_TO_RETURN = "REFER_TO_RETURN"
    REFER_TO_RELOCATION = "REFER_TO_RELOCATION"


class Procedure(str, Enum):
    """Examination procedures of the Asylum Procedure Regulation 2024/1348."""

    ADMISSIBILITY = "ADMISSIBILITY"  # Art 38
    ACCELERATED = "ACCELERATED"  # Art 42
    BORDER = "BORDER"  # Arts 43-54
    REGULAR = "REGULAR"  # Art 35(4)


class DecisionType(str, Enum):
    """First-instance decision types (APR Arts 35-41, Qualification Regulation 2024/1347)."""

    REFUGEE_STATUS = "REFUGEE_STATUS"
    SUBSIDIARY_PROTECTION = "SUBSIDIARY_PROTECTION"
    INADMISSIBLE = "INADMISSIBLE"
    UNFOUNDED = "UNFOUNDED"
    MANIFESTLY_UNFOUNDED = "MANIFESTLY_UNFOUNDED"
    IMPLICITLY_WITHDRAWN = "IMPLICITLY_WITHDRAWN"
    EXPLICITLY_WITHDRAWN = "EXPLICITLY_WITHDRAWN"

    @property
    def grants_protection(self) -> bool:
        return self in (DecisionType.REFUGEE_STATUS, DecisionType.SUBSIDIARY_PROTECTION)

    @property
    def is_rejection(self) -> bool:
        """Decisions that end the right to stay as an applicant and call for a return decision."""
        return self in (
            DecisionType.INADMISSIBLE,
            DecisionType.UNFOUNDED,
            DecisionType.MANIFESTLY_UNFOUNDED,
            DecisionType.IMPLICITLY_WITHDRAWN,
        )

    @property
    def is_appealable(self) -> bool:
        """APR Art 67(1): rejections, implicit withdrawal, and subsidiary protection instead of
        refugee status (the refusal of refugee status is itself appealable)."""
        return self.is_rejection or self is DecisionType.SUBSIDIARY_PROTECTION


class AppealOutcome(str, Enum):
    """How a court or tribunal disposes of an appeal (APR Art 67)."""

    UPHELD = "UPHELD"  # the contested decision stands; the appeal is dismissed
    OVERTURNED = "OVERTURNED"  # the court substitutes its own decision
    REMITTED = "REMITTED"  # annulled and sent back for a new examination


class ClosureReason(str, Enum):
    """Why a case is closed in this member state's ledger."""

    PROTECTION_GRANTED = "PROTECTION_GRANTED"
    RETURNED = "RETURNED"
    TRANSFERRED = "TRANSFERRED"
    WITHDRAWN = "WITHDRAWN"
    ABSCONDED = "ABSCONDED"
    DECEASED = "DECEASED"
    OTHER = "OTHER"


class CaseStatus(str, Enum):
    """Where a case stands in its procedure; derived from events, never set directly."""

    SCREENING = "SCREENING"
    REFERRED_TO_RETURN = "REFERRED_TO_RETURN"
    APPLICATION_MADE = "APPLICATION_MADE"
    REGISTERED = "REGISTERED"
    LODGED = "LODGED"
    UNDER_EXAMINATION = "UNDER_EXAMINATION"
    TRANSFER_PENDING = "TRANSFER_PENDING"
    DECIDED = "DECIDED"
    APPEAL_PENDING = "APPEAL_PENDING"
    PROTECTED = "PROTECTED"
    NO_RIGHT_TO_REMAIN = "NO_RIGHT_TO_REMAIN"
    TRANSFERRED = "TRANSFERRED"
    RELOCATED = "RELOCATED"
    RETURNED = "RETURNED"
    ABSCONDED = "ABSCONDED"
    CLOSED = "CLOSED"
    PROTECTION_WITHDRAWN = "PROTECTION_WITHDRAWN"  # QR Arts 14, 19


class EurodacCategory(str, Enum):
    """Eurodac data categories (Regulation (EU) 2024/1358) and their retention (Art 29)."""

    APPLICANT = "APPLICANT"  # Art 15
    RESETTLEMENT = "RESETTLEMENT"  # Arts 18-20
    IRREGULAR_CROSSING = "IRREGULAR_CROSSING"  # Art 22
    ILLEGALLY_STAYING = "ILLEGALLY_STAYING"  # Art 23
    SEARCH_AND_RESCUE = "SEARCH_AND_RESCUE"  # Art 24
    TEMPORARY_PROTECTION = "TEMPORARY_PROTECTION"  # Art 26


class CrisisKind(str, Enum):
    """Crisis Regulation (EU) 2024/1359 Art 1: mass arrivals, instrumentalisation, force majeure."""

    MASS_ARRIVALS = "MASS_ARRIVALS"
    INSTRUMENTALISATION = "INSTRUMENTALISATION"
    FORCE_MAJEURE = "FORCE_MAJEURE"


class ResponsibilityCause(str, Enum):
    """Why responsibility moves to this member state (AMMR (EU) 2024/1351 Art 37(1), Art 35)."""

    TRANSFER_TIME_LIMIT_EXPIRED = "TRANSFER_TIME_LIMIT_EXPIRED"
    RESIDENCE_DOCUMENT_ISSUED = "RESIDENCE_DOCUMENT_ISSUED"
    DISCRETIONARY_CLAUSE = "DISCRETIONARY_CLAUSE"
    MINOR_BEST_INTERESTS = "MINOR_BEST_INTERESTS"
    SOLIDARITY_OFFSET = "SOLIDARITY_OFFSET"  # Art 63: instead of a relocation
