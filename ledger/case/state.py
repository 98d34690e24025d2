"""The state of a case as its events leave it, apart from any persistence.

`Case` (the aggregate) inherits it to decide commands; the case-list projection applies the very
same events to a `CaseState` rebuilt from its row. One set of transitions serves both, so the
read model cannot drift from the rules.

Besides the main `status`, a case carries sub-states that run beside the examination: screening,
Eurodac, responsibility (AMMR), relocation and return.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ledger.case.after_decision.values import Permit, ReturnState
from ledger.case.age_assessment.values import AgeAssessment
from ledger.case.detention.values import Detention
from ledger.case.erasure.values import PersonalDataFacts
from ledger.case.eurodac.values import EurodacHit, EurodacRecord
from ledger.case.monitoring.values import Allegation
from ledger.case.reception.values import Reception
from ledger.case.relocation.values import Relocation
from ledger.case.responsibility.values import Responsibility
from ledger.case.safeguards.values import Safeguards
from ledger.case.screening.values import InformationGiven, Representative, ScreeningChecks
from ledger.case.values import Appeal, Decision
from ledger.case.withdrawal.values import Withdrawal
from ledger.vocabulary import CaseStatus, DecisionType

if TYPE_CHECKING:
    from ledger.case.screening.events import CaseOpened

class CaseState:
    """Attributes are set by `reset` (on `CaseOpened`) and each event's `apply_step`.

    No `__init__` and no class-level annotations: the aggregate's metaclass would read them as
    constructor arguments.
    """

    def reset(self, opened: CaseOpened) -> None:
        self.member_state: str = opened.member_state
        self.national_reference: str = opened.national_reference
        self.nationality: str = opened.nationality
        # As declared when the case opened; an age assessment's result decides once concluded
        # (`unaccompanied_minor`, the one property every rule on minority reads).
        self.claimed_minor: bool = opened.unaccompanied_minor
        # Who the person is stays sealed in the events (`ledger.personal_data`): the state keeps
        # only the person id, the case's data key id and, once erased, when and on which basis.
        self.personal_data: PersonalDataFacts = PersonalDataFacts(
            person_id=opened.person_id, key_id=str(opened.originator_id))
        self.opened_at: datetime = opened.envelope.occurred_at
        self.status: CaseStatus = CaseStatus.SCREENING
        self.screening: str | None = None  # None, IN_PROGRESS, COMPLETED
        self.screening_trigger: str | None = None
        self.screening_outcome: str | None = None
        self.application_made_at: datetime | None = None
        self.registered_at: datetime | None = None
        self.lodged_at: datetime | None = None
        self.procedure: str | None = None
        self.decisions: list[Decision] = []
        self.standing_decision_no: int | None = None
        self.appeals: list[Appeal] = []
        self.pending_appeal_no: int | None = None
        self.return_decision_issued: bool = False
        self.closed_reason: str | None = None
        self.last_occurred_at: datetime = opened.envelope.occurred_at
        self.command_ids: set[str] = set()
        # Sub-states: frozen values (each phase's `values` module), replaced by the events.
        self.security_flag: bool = False
        self.decision_final: bool = False
        self.right_to_remain_ended: bool = False
        self.screening_checks: ScreeningChecks = ScreeningChecks()
        self.vulnerabilities: list[str] = []
        self.representative: Representative | None = None
        self.information_given: tuple[InformationGiven, ...] = ()
        self.eurodac: EurodacRecord = EurodacRecord()
        self.hits: tuple[EurodacHit, ...] = ()
        self.responsibility: Responsibility = Responsibility()
        self.relocation: Relocation | None = None
        self.return_: ReturnState = ReturnState()
        self.interviews: int = 0
        self.extensions_days: int = 0
        self.extensions_months: int = 0  # APR Art 35(2): extensions are in calendar months
        self.subsequent_applications: int = 0
        self.permit: Permit | None = None
        self.request_to_remain: str | None = None  # PENDING, GRANTED, REFUSED
        self.border_mandatory: bool | None = None  # APR Art 45(1), set on assignment
        self.entry_authorised: bool = False  # APR Art 51(2)
        self.absconded: bool = False
        self.procedure_grounds: tuple[str, ...] = ()  # APR Art 42(1) grounds (RCD Art 17(2))
        self.detention: Detention | None = None
        self.reception: Reception | None = None
        self.age_assessment: AgeAssessment | None = None
        self.safeguards: Safeguards = Safeguards()  # APR Arts 8(2), 15-19
        self.allegations: tuple[Allegation, ...] = ()  # Screening Art 10, APR Art 43(4)
        self.withdrawal: Withdrawal | None = None  # QR Arts 14, 19; APR Art 66

    def chain_to(self, event: Any) -> None:
        """After each event: the aggregate remembers it for the hash chain (`Case.last_hash`);
        a read model's state does not chain, so it does nothing here."""

    # --- derived views -------------------------------------------------------------------------
    @property
    def unaccompanied_minor(self) -> bool:
        """Minority, the one property every rule that depends on it reads (APR Art 25): the
        concluded age assessment's result (a minor, or presumed one by the benefit of the doubt,
        who is unaccompanied), else the person's claim when the case opened. Read by the
        representative (Screening Art 13, AMMR Art 23), the border procedure's exclusion (APR
        Art 53), suspensive effect (APR Art 68(3)), the late take charge request (AMMR Art
        39(1)), detention (RCD Art 13(2)) and the representative deadline."""
        assessment = self.age_assessment
        if assessment is not None and assessment.finds_minor is not None:
            return assessment.finds_minor and assessment.unaccompanied
        return self.claimed_minor

    @property
    def standing_decision(self) -> Decision | None:
        """The decision that currently stands (after appeals), if any."""
        if self.standing_decision_no is None:
            return None
        return next(d for d in self.decisions if d.decision_no == self.standing_decision_no)

    @property
    def standing_type(self) -> DecisionType | None:
        decision = self.standing_decision
        return decision.kind if decision else None

    @property
    def rejected(self) -> bool:
        kind = self.standing_type
        return kind is not None and kind.is_rejection

    @property
    def protected(self) -> bool:
        """Protection granted stands, unless withdrawn (QR Arts 14, 19)."""
        kind = self.standing_type
        withdrawn = self.withdrawal is not None and self.withdrawal.state == "WITHDRAWN"
        return kind is not None and kind.grants_protection and not withdrawn

    @property
    def pending_appeal(self) -> Appeal | None:
        if self.pending_appeal_no is None:
            return None
        return self.appeals[self.pending_appeal_no - 1]

    def has_processed(self, command_id: str) -> bool:
        return command_id in self.command_ids


#: What a timeline shows as "what changed" for each step (bookkeeping attributes left out).
OBSERVED_ATTRIBUTES = (
    "status", "screening", "screening_outcome", "application_made_at", "registered_at",
    "lodged_at", "procedure", "standing_decision_no", "pending_appeal_no", "decision_final",
    "right_to_remain_ended", "return_decision_issued", "security_flag", "closed_reason",
    "request_to_remain", "responsibility", "relocation", "eurodac", "screening_checks",
    "representative", "permit", "interviews", "extensions_days", "extensions_months",
    "subsequent_applications", "detention", "reception", "age_assessment",
    "safeguards", "allegations", "withdrawal",
)


def observe(state: CaseState) -> dict[str, Any]:
    """The observed attributes of a state (absent ones as None), for diffs between steps.

    The sub-states are frozen values, so no copy is needed; the read model encodes them
    (`projections.case_details.plain_changes`)."""
    return {name: getattr(state, name, None) for name in OBSERVED_ATTRIBUTES}


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """{attribute: [before, after]} (values as observed) for every observed attribute that
    changed."""
    return {k: [before[k], after[k]] for k in OBSERVED_ATTRIBUTES if before[k] != after[k]}


def settled_status(case: CaseState) -> CaseStatus:
    """Where the procedure stands, read from the record: used when a step that set its own
    status (a pending transfer) ends, so that no stale status is restored."""
    if case.pending_appeal_no is not None:
        return CaseStatus.APPEAL_PENDING
    if case.withdrawal is not None and case.withdrawal.state == "WITHDRAWN":
        return CaseStatus.PROTECTION_WITHDRAWN
    if case.standing_decision_no is not None:
        if case.decision_final and case.protected:
            return CaseStatus.PROTECTED
        return CaseStatus.NO_RIGHT_TO_REMAIN if case.right_to_remain_ended else CaseStatus.DECIDED
    for reached, status in ((case.procedure, CaseStatus.UNDER_EXAMINATION),
                            (case.lodged_at, CaseStatus.LODGED),
                            (case.registered_at, CaseStatus.REGISTERED),
                            (case.application_made_at, CaseStatus.APPLICATION_MADE)):
        if reached:
            return status
    if case.screening_outcome == "REFER_TO_RETURN":
        return CaseStatus.REFERRED_TO_RETURN
    return CaseStatus.SCREENING
