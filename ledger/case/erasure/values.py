"""What the case's state keeps of its personal data (issue 12) as a typed value: never the data
themselves (they stay sealed in the events), only whose they are, which key seals them and,
once erased, when and on which legal basis."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PersonalDataFacts:
    """`person_id` groups one person's cases; `key_id` is the case's data key (the case id);
    `erased_at`/`erasure_basis` are set by `PersonalDataErased` (an `ErasureBasis` code)."""

    person_id: str
    key_id: str
    erased_at: datetime | None = None
    erasure_basis: str | None = None

    @property
    def erased(self) -> bool:
        return self.erased_at is not None
