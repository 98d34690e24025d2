"""The erasure step of a case: refuses what the law does not allow, triggers the event."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.case.erasure.events import PersonalDataErased
from ledger.case.guards import check_time, require
from ledger.case.state import CaseState
from ledger.envelope import LegalBasis, Step
from ledger.personal_data.bases import EURODAC, RETENTION_ENDED, ErasureBasis
from ledger.rules import define_rule

if TYPE_CHECKING:
    from typing import Any

RETENTION_NOT_ENDED = define_rule(
    "RETENTION_NOT_ENDED", f"{EURODAC} Art 29",
    "Data are erased on schedule only once their retention period (from transmission to "
    "Eurodac) has ended")
NO_PERSONAL_DATA = define_rule(
    "NO_PERSONAL_DATA", "GDPR (EU) 2016/679 Art 17",
    "The case holds no personal data to erase, or they were erased already")


class ErasureSteps(CaseState):
    if TYPE_CHECKING:
        def trigger_event(self, event_class: Any, **kwargs: Any) -> None: ...

    @property
    def personal_data_erased(self) -> bool:
        return self.personal_data.erased

    def erase_personal_data(self, step: Step, basis: ErasureBasis, sealed: tuple[str, ...]
                            ) -> None:
        """`sealed`: the sealed fields of the case's events (`Event.field`), found by the
        handler. Erasure is possible in any state, a closed case included (retention outlives
        the procedure)."""
        check_time(step, self.last_occurred_at)
        key_id = self.personal_data.key_id
        require(bool(sealed) and not self.personal_data_erased, NO_PERSONAL_DATA)
        if basis is RETENTION_ENDED:
            until = self.eurodac.retention_until
            require(until is not None and until <= step.occurred_at.date(),
                    RETENTION_NOT_ENDED, f"retained until {until}" if until else
                    "never transmitted to Eurodac")
        self.trigger_event(PersonalDataErased,
                           envelope=step.envelope(LegalBasis(basis.act, basis.article)),
                           basis=basis.code, key_id=key_id,
                           erased_fields=sealed)
