"""An age assessment (APR (EU) 2024/1348 Art 25) as a typed value, and its vocabularies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum


class AgeAssessmentMethod(str, Enum):
    """Art 25(1)-(2): a multidisciplinary assessment first; a medical examination only as a
    last resort, where doubt remains after it (confirmed: VL/INV/EXL art 25)."""

    MULTIDISCIPLINARY = "MULTIDISCIPLINARY"
    MEDICAL = "MEDICAL"


class AgeAssessmentResult(str, Enum):
    """Art 25: a minor, an adult, or (inconclusive, or a range that includes under 18) presumed
    a minor by the benefit of the doubt."""

    MINOR = "MINOR"
    ADULT = "ADULT"
    BENEFIT_OF_DOUBT = "BENEFIT_OF_DOUBT"


#: Results under which the person counts as a minor (Art 25: the benefit of the doubt).
MINOR_RESULTS = frozenset({AgeAssessmentResult.MINOR.value,
                           AgeAssessmentResult.BENEFIT_OF_DOUBT.value})


@dataclass(frozen=True)
class AgeAssessment:
    """The latest assessment. `result` None while it runs; `unaccompanied`: the person is
    without an adult responsible for them (what makes a minor an unaccompanied minor)."""

    method: str
    initiated_at: datetime
    unaccompanied: bool = True
    result: str | None = None
    concluded_at: datetime | None = None
    #: methods of every assessment concluded before this one (Art 25(2): medical last)
    earlier_methods: tuple[str, ...] = ()

    @property
    def finds_minor(self) -> bool | None:
        """None while it runs; then whether the person counts as a minor."""
        return None if self.result is None else self.result in MINOR_RESULTS
