"""The phases of a case's procedure. Each event class declares its phase (`phase = Phase.X`,
through its phase's base class); the timeline shows the value."""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    SCREENING = "SCREENING"
    EURODAC = "EURODAC"
    ACCESS_TO_PROCEDURE = "ACCESS"  # the timeline's name since the first release
    RESPONSIBILITY = "RESPONSIBILITY"
    EXAMINATION = "EXAMINATION"
    REMEDIES = "REMEDIES"
    AFTER_DECISION = "AFTER_DECISION"
    RELOCATION = "RELOCATION"
    ERASURE = "ERASURE"  # of personal data (issue 12)
    DETENTION = "DETENTION"  # issue 11 part 5
    RECEPTION = "RECEPTION"  # issue 11 part 5
    AGE_ASSESSMENT = "AGE_ASSESSMENT"  # issue 11 part 5
    SAFEGUARDS = "SAFEGUARDS"  # legal counselling, assistance, interpreters (APR Arts 8, 15-19)
    MONITORING = "MONITORING"  # fundamental-rights monitoring (Screening Art 10, APR 43(4))
    WITHDRAWAL = "WITHDRAWAL"  # of protection (QR Arts 11, 14, 16, 19; APR Art 66)
