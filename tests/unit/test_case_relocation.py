"""Relocation (AMMR (EU) 2024/1351 Arts 67-68) on the in-memory store: only an applicant whose
case is still here, to another member state, never a person with a security flag (at any step);
selected, accepted, transferred, then arrival (crediting the relocation member state's solidarity
account in the same transaction) or no-show."""

from __future__ import annotations

from uuid import UUID

import pytest

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.case.aggregate import Case
from ledger.solidarity.store import find_account
from ledger.vocabulary import CaseStatus
from tests.support.acting import handle
from tests.support.cases import case_of, day, decided, examined, meta_at, step
from tests.support.refusals import provokes, refused
from tests.support.steps import at


def _selected(ledger: Ledger, reference: str) -> UUID:
    """Under the regular procedure from day 3, selected for relocation to Portugal on day 5."""
    case_id = examined(ledger, reference)
    step(ledger, c.SelectForRelocation(case_id, "PT"), 5)
    return case_id


def test_relocation_from_selection_to_arrival_credits_the_relocation_state(
    ledger: Ledger,
) -> None:
    """Arts 67-68: relocation runs beside the procedure; safe arrival makes the relocation
    member state responsible and credits its account once, in the same transaction."""
    case_id = _selected(ledger, "L-1")
    case = case_of(ledger, case_id)
    assert case.status is CaseStatus.UNDER_EXAMINATION
    assert case.relocation == {"state": "SELECTED", "member_state": "PT"}
    step(ledger, c.AcceptRelocation(case_id), 8)
    step(ledger, c.TransferForRelocation(case_id), 20)
    assert case_of(ledger, case_id).relocation["state"] == "TRANSFERRED"
    outcome = handle(ledger, c.RecordRelocationArrival(case_id), meta_at(21))
    assert outcome.event_types == ("RelocationArrived", "AccountOpened", "RelocationCredited")
    assert len(outcome.positions) == 3
    case = case_of(ledger, case_id)
    assert (case.status, case.relocation["state"]) == (CaseStatus.RELOCATED, "ARRIVED")
    account = find_account(ledger, day(21).year, "PT")
    assert account is not None and account.has_credited(case_id)
    step(ledger, c.CloseCase(case_id, "TRANSFERRED"), 22)


def test_a_retried_arrival_credits_nothing_twice(ledger: Ledger) -> None:
    """A retried command (same command id) records nothing new, on the case or the account."""
    case_id = _selected(ledger, "L-2")
    step(ledger, c.AcceptRelocation(case_id), 8)
    step(ledger, c.TransferForRelocation(case_id), 20)
    first = handle(ledger, c.RecordRelocationArrival(case_id), at(21, command_id="arrival-L-2"))
    position = ledger.recorder.max_notification_id()
    again = handle(ledger, c.RecordRelocationArrival(case_id), at(22, command_id="arrival-L-2"))
    assert again.replayed and not first.replayed
    assert ledger.recorder.max_notification_id() == position


def test_no_show_and_cancellation_resume_the_examination(ledger: Ledger) -> None:
    """Art 68(1): a person who does not appear stays in this member state's procedure; a
    relocation withdrawn before the transfer likewise; a new selection may follow."""
    no_show = _selected(ledger, "L-3")
    step(ledger, c.AcceptRelocation(no_show), 8)
    step(ledger, c.TransferForRelocation(no_show), 20)
    step(ledger, c.RecordRelocationNoShow(no_show), 25)
    case = case_of(ledger, no_show)
    assert (case.status, case.relocation["state"]) == (CaseStatus.UNDER_EXAMINATION, "NO_SHOW")
    step(ledger, c.SelectForRelocation(no_show, "LU"), 26)
    assert case_of(ledger, no_show).relocation["member_state"] == "LU"

    cancelled = _selected(ledger, "L-3b")
    step(ledger, c.AcceptRelocation(cancelled), 8)
    step(ledger, c.CancelRelocation(cancelled, "refused after interview"), 9)
    case = case_of(ledger, cancelled)
    assert (case.status, case.relocation["state"]) == (CaseStatus.UNDER_EXAMINATION, "CANCELLED")
    assert case.relocation["reason"] == "refused after interview"


@provokes("RELOCATION_EXCLUDED_SECURITY")
def test_no_relocation_step_once_a_security_flag_exists(ledger: Ledger) -> None:
    """AMMR Art 67(2) (invariant, pact-rules 8.3): a person who may pose a security threat is
    excluded from relocation for good: not selected, and a relocation under way stops at
    whatever step the flag finds it."""
    flagged = examined(ledger, "L-4")
    step(ledger, c.RecordSecurityFlag(flagged, "terrorism link"), 4)
    refused(ledger, c.SelectForRelocation(flagged, "PT"), 5, "RELOCATION_EXCLUDED_SECURITY")
    for reference, done in (("L-4b", ()), ("L-4c", (c.AcceptRelocation,)),
                            ("L-4d", (c.AcceptRelocation, c.TransferForRelocation))):
        case_id = _selected(ledger, reference)
        for n, command in enumerate(done):
            step(ledger, command(case_id), 6 + n)
        step(ledger, c.RecordSecurityFlag(case_id, "EAW offence"), 10)
        following = (c.AcceptRelocation, c.TransferForRelocation,
                     c.RecordRelocationArrival)[len(done)]
        refused(ledger, following(case_id), 11, "RELOCATION_EXCLUDED_SECURITY")


@provokes("RELOCATION_NEEDS_APPLICANT")
def test_relocation_is_for_applicants_whose_case_is_here(ledger: Ledger) -> None:
    """Art 67(4): an applicant (or beneficiary); not someone who never applied, nor one whose
    right to remain ended, nor one already selected, nor one due to be transferred elsewhere
    under the AMMR."""
    handle(ledger, c.StartScreening("IT", "L-5", c.Person("SY"), "SEARCH_AND_RESCUE", "Lampedusa"),
                  meta_at(0))
    refused(ledger, c.SelectForRelocation(Case.create_id("IT", "L-5"), "PT"), 1,
            "RELOCATION_NEEDS_APPLICANT")
    ended = decided(ledger, "L-5b", "UNFOUNDED", "ACCELERATED", nationality="BD")
    step(ledger, c.EndRightToRemain(ended, "no automatic suspensive effect"), 31)
    refused(ledger, c.SelectForRelocation(ended, "PT"), 32, "RELOCATION_NEEDS_APPLICANT")
    twice = _selected(ledger, "L-5c")
    refused(ledger, c.SelectForRelocation(twice, "LU"), 6, "RELOCATION_NEEDS_APPLICANT")
    dublin = examined(ledger, "L-5d")
    step(ledger, c.RequestTakeCharge(dublin, "EL", "AMMR Art 33(1)"), 4)
    step(ledger, c.ReplyToTakeCharge(dublin, accepted=True), 5)
    refused(ledger, c.SelectForRelocation(dublin, "PT"), 6, "RELOCATION_NEEDS_APPLICANT")
    beneficiary = decided(ledger, "L-5e", "REFUGEE_STATUS")
    step(ledger, c.SelectForRelocation(beneficiary, "PT"), 31)


@provokes("RELOCATION_TO_SELF")
def test_relocation_goes_to_another_member_state(ledger: Ledger) -> None:
    """Art 67."""
    case_id = examined(ledger, "L-6")
    refused(ledger, c.SelectForRelocation(case_id, "IT"), 5, "RELOCATION_TO_SELF")


@provokes("RELOCATION_OUT_OF_ORDER")
@pytest.mark.parametrize(("done", "command"), [
    ((), c.AcceptRelocation),
    ((), c.CancelRelocation),
    ((), c.RecordRelocationNoShow),
    ((c.SelectForRelocation,), c.TransferForRelocation),
    ((c.SelectForRelocation,), c.RecordRelocationArrival),
    ((c.SelectForRelocation,), c.RecordRelocationNoShow),
    ((c.SelectForRelocation, c.AcceptRelocation), c.AcceptRelocation),
    ((c.SelectForRelocation, c.AcceptRelocation), c.RecordRelocationArrival),
    ((c.SelectForRelocation, c.AcceptRelocation, c.TransferForRelocation), c.CancelRelocation),
    ((c.SelectForRelocation, c.AcceptRelocation, c.TransferForRelocation),
     c.TransferForRelocation),
])
def test_relocation_goes_step_by_step(ledger: Ledger, done: tuple[type, ...],
                                      command: type) -> None:
    """Arts 67-68: selected, accepted, transferred, then arrival or no-show; a relocation is
    cancelled only before the transfer."""
    case_id = examined(ledger, "L-7")
    for n, earlier in enumerate(done):
        step(ledger, earlier(case_id, "PT") if earlier is c.SelectForRelocation
             else earlier(case_id), 5 + n)
    arguments = ("withdrawn",) if command is c.CancelRelocation else ()
    refused(ledger, command(case_id, *arguments), 10, "RELOCATION_OUT_OF_ORDER")


def test_cancelling_a_relocation_resumes_the_case_as_it_now_stands(ledger: Ledger) -> None:
    """Art 67: the relocation is withdrawn; the case is where the procedure left it."""
    case_id = decided(ledger, "L-8", "UNFOUNDED")
    step(ledger, c.LodgeAppeal(case_id, "Tribunale di Roma"), 31)
    step(ledger, c.SelectForRelocation(case_id, "PT"), 32)
    step(ledger, c.DecideAppeal(case_id, "UPHELD"), 60)
    step(ledger, c.CancelRelocation(case_id, "withdrawn"), 61)
    case = case_of(ledger, case_id)
    assert case.pending_appeal_no is None
    assert case.status is CaseStatus.DECIDED


def test_a_decision_taken_during_relocation_survives_its_cancellation(ledger: Ledger) -> None:
    """APR Art 41: the implicit withdrawal stands whatever becomes of the relocation."""
    case_id = _selected(ledger, "L-9")
    step(ledger, c.IssueDecision(case_id, "IMPLICITLY_WITHDRAWN", "APR Art 41(1)(e)", day(20),
                                 with_return_decision=True), 20)
    step(ledger, c.CancelRelocation(case_id, "absconded"), 21)
    assert case_of(ledger, case_id).status is CaseStatus.DECIDED
