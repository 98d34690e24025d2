"""The closed vocabularies of the resettlement framework (URF (EU) 2024/1350)."""

from __future__ import annotations

from enum import Enum


class AdmissionType(str, Enum):
    """The kinds of admission the Union plan splits its total into (URF Art 8)."""

    RESETTLEMENT = "RESETTLEMENT"
    HUMANITARIAN_ADMISSION = "HUMANITARIAN_ADMISSION"
    EMERGENCY_ADMISSION = "EMERGENCY_ADMISSION"


class AdmissionProcedure(str, Enum):
    """Ordinary or expedited admission procedure (the article is not in our sources)."""

    ORDINARY = "ORDINARY"
    EXPEDITED = "EXPEDITED"


class ReferringBody(str, Enum):
    """Who referred the person to the member state for admission."""

    UNHCR = "UNHCR"
    EUAA = "EUAA"
    OTHER = "OTHER"


class RefusalGround(str, Enum):
    """The mandatory grounds for refusing admission, URF Art 6(1)(a)-(f)."""

    EQUIVALENT_NATIONALITY_RIGHTS = "EQUIVALENT_NATIONALITY_RIGHTS"  # (a)
    SERIOUS_CRIME = "SERIOUS_CRIME"  # (b)
    DANGER_TO_COMMUNITY = "DANGER_TO_COMMUNITY"  # (c)
    ENTRY_REFUSAL_ALERT = "ENTRY_REFUSAL_ALERT"  # (d)
    PROTECTED_IN_MEMBER_STATE = "PROTECTED_IN_MEMBER_STATE"  # (e)
    REFUSED_IN_PREVIOUS_YEARS = "REFUSED_IN_PREVIOUS_YEARS"  # (f)


class ProtectionStatus(str, Enum):
    """The status the member state grants the admitted person on arrival."""

    REFUGEE = "REFUGEE"
    SUBSIDIARY_PROTECTION = "SUBSIDIARY_PROTECTION"
    NATIONAL_HUMANITARIAN_STATUS = "NATIONAL_HUMANITARIAN_STATUS"


class DiscontinuanceReason(str, Enum):
    """Why an admission procedure stopped before a decision or an arrival."""

    CONSENT_WITHDRAWN = "CONSENT_WITHDRAWN"
    NOT_REACHABLE = "NOT_REACHABLE"
    NO_LONGER_IN_NEED = "NO_LONGER_IN_NEED"


class AdmissionStatus(str, Enum):
    """Where an admission file stands; derived from its events."""

    REGISTERED = "REGISTERED"
    ASSESSED = "ASSESSED"
    CONSENTED = "CONSENTED"
    ADMISSION_GRANTED = "ADMISSION_GRANTED"
    ADMISSION_REFUSED = "ADMISSION_REFUSED"
    ARRIVED = "ARRIVED"
    DISCONTINUED = "DISCONTINUED"


#: Art 6(1)(f) refuses a person another member state refused under (c) or (d).
LOOKBACK_GROUNDS = frozenset({RefusalGround.DANGER_TO_COMMUNITY.value,
                              RefusalGround.ENTRY_REFUSAL_ALERT.value})
