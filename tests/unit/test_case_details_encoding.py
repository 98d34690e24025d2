"""The `details` column keeps issue 11's sub-state fields (a hit's receipt, the transfer decision's
time, an appeal against it, the transfer limit's new start, extensions in months) and decodes
rows written before them unchanged."""

from __future__ import annotations

from datetime import UTC, datetime

from ledger.application import Ledger
from ledger.case.eurodac.values import EurodacHit
from ledger.case.responsibility.values import Responsibility, TransferAppeal
from ledger.case.state import CaseState
from projections.case_details import details_json, set_details_from_json
from tests.support.cases import case_of, registered

T = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
LATER = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)


def test_issue_11_fields_come_back_as_they_were(ledger: Ledger) -> None:
    state = case_of(ledger, registered(ledger, "ENC-1"))
    state.hits = (EurodacHit("IRREGULAR_CROSSING", "EL", "HIT-1", received_at=T),)
    state.responsibility = Responsibility(
        state="TRANSFER_PENDING", other="EL", requested_at=T, accepted_at=T,
        transfer_decision=True, transfer_decided_at=T, limit_from=LATER,
        transfer_appeal=TransferAppeal(court="TAR Lazio", lodged_at=T, suspension="GRANTED",
                                       decided_at=LATER, annulled=False))
    state.extensions_months = 2
    back = CaseState()
    set_details_from_json(back, details_json(state))
    assert (back.hits, back.responsibility, back.extensions_months) == (
        state.hits, state.responsibility, 2)


def test_a_row_written_before_them_decodes_with_the_defaults() -> None:
    old = ('{"hits":[{"category":"IRREGULAR_CROSSING","origin":"EL","ref":"HIT-1"}],'
           '"responsibility":{"state":"TRANSFER_PENDING","other":"EL",'
           '"transfer_decision":true},"extensions_days":10}')
    back = CaseState()
    set_details_from_json(back, old)
    assert back.hits == (EurodacHit("IRREGULAR_CROSSING", "EL", "HIT-1"),)
    assert back.responsibility == Responsibility(state="TRANSFER_PENDING", other="EL",
                                                 transfer_decision=True)
    assert (back.extensions_days, back.extensions_months) == (10, 0)
