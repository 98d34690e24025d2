"""The legal bases on which a case's personal data are erased, each a parameter with its source.

`RETENTION_ENDED` is confirmed (Eurodac Art 29: retention runs from transmission, deletion is
automatic). The early erasures are unconfirmed in our sources (/work/shared/reference): their
articles are parameters, marked `confirmed=False`, until the text is checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

EURODAC = "Eurodac Regulation (EU) 2024/1358"
GDPR = "GDPR (EU) 2016/679"


@dataclass(frozen=True)
class ErasureBasis:
    code: str
    act: str
    article: str
    summary: str
    #: Erased on an authorised person's request (True) or by the schedule (False).
    on_request: bool
    confirmed: bool


RETENTION_ENDED = ErasureBasis(
    "RETENTION_ENDED", EURODAC, "Art 29",
    "The retention period ended (from transmission: 10 years for applicants, 5 for most other "
    "categories); the data are erased automatically", on_request=False, confirmed=True)
NATURALISATION = ErasureBasis(
    "NATURALISATION", EURODAC, "Art 29(4)",
    "The person acquired the citizenship of a member state before the retention period ended: "
    "the data are erased without delay", on_request=True, confirmed=False)
DATA_SUBJECT_REQUEST = ErasureBasis(
    "DATA_SUBJECT_REQUEST", GDPR, "Art 17(1)",
    "The data subject asked for erasure and no legal obligation to keep the data applies "
    "(Art 17(3)(b) is the controller's to assess)", on_request=True, confirmed=False)

ERASURE_BASES: dict[str, ErasureBasis] = {
    b.code: b for b in (RETENTION_ENDED, NATURALISATION, DATA_SUBJECT_REQUEST)}


class ErasureBasisCode(str, Enum):
    """The codes of `ERASURE_BASES`, as a vocabulary (GraphQL enum, command annotation)."""

    RETENTION_ENDED = "RETENTION_ENDED"
    NATURALISATION = "NATURALISATION"
    DATA_SUBJECT_REQUEST = "DATA_SUBJECT_REQUEST"
