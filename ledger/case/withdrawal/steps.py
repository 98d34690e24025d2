"""Withdrawal and cessation of international protection (QR (EU) 2024/1347 Arts 11, 14, 16, 19)
under the procedure of APR (EU) 2024/1348 Art 66, and the Eurodac unmarking it implies.

**The Eurodac consequence is recorded with the act, not derived.** `ledger.consequences` derives
the consequences the law attaches to a *limit passing* (they depend on the clock alone). The
unmarking is attached to an *act*, the withdrawal decision (Eurodac Art 31: the member state
unmarks data when status is withdrawn under QR Art 14 or 19): so the same command records
`ProtectionWithdrawn` and `EurodacUnmarked` together, as `DeclareDecisionFinal` records
`RightToRemainEnded`. A replay or a rebuild gives the same answer because both are events.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ledger.case.eurodac.events import EurodacUnmarked
from ledger.case.guards import guard, require, status_of
from ledger.case.state import CaseState
from ledger.case.withdrawal.events import (
    PersonInformedOfWithdrawal,
    ProtectionWithdrawn,
    WithdrawalDiscontinued,
    WithdrawalObservationsSubmitted,
    WithdrawalProcedureStarted,
)
from ledger.case.withdrawal.values import WithdrawalGround as G
from ledger.deadlines.catalogue import version_for
from ledger.deadlines.periods import due as period_due
from ledger.envelope import LegalBasis, Step
from ledger.rules import define_rule
from ledger.vocabulary import DecisionType

if TYPE_CHECKING:
    from typing import Any

QR = "QR (EU) 2024/1347"
APR = "APR (EU) 2024/1348"
EURODAC = "Eurodac Regulation (EU) 2024/1358"

#: Grounds open for each status (confirmed: QR Art 14(1)(a)-(e), Art 19(1)(a)-(c); cessation of
#: subsidiary protection is only on changed circumstances, Art 16).
_REFUGEE = frozenset(G)
_SUBSIDIARY = frozenset({G.CESSATION_CIRCUMSTANCES, G.EXCLUSION, G.MISREPRESENTATION})
GROUNDS_BY_STATUS: dict[str, frozenset[G]] = {
    DecisionType.REFUGEE_STATUS.value: _REFUGEE,
    DecisionType.SUBSIDIARY_PROTECTION.value: _SUBSIDIARY,
}
#: Where compelling reasons exclude cessation (QR Art 11(1)(e)-(f) last subparagraph, Art 16).
_CHANGED_CIRCUMSTANCES = frozenset({G.CESSATION_CIRCUMSTANCES})
#: Articles cited for each ground, by status.
_ARTICLE = {
    G.CESSATION_REAVAILMENT: "Arts 11(1)(a), 14(1)(a)",
    G.CESSATION_NATIONALITY_REACQUIRED: "Arts 11(1)(b), 14(1)(a)",
    G.CESSATION_NEW_NATIONALITY: "Arts 11(1)(c), 14(1)(a)",
    G.CESSATION_REESTABLISHED: "Arts 11(1)(d), 14(1)(a)",
    G.DANGER_TO_SECURITY: "Art 14(1)(d)", G.SERIOUS_CRIME: "Art 14(1)(e)",
}

WITHDRAWAL_NEEDS_PROTECTION = define_rule(
    "WITHDRAWAL_NEEDS_PROTECTION", f"{QR} Arts 14(1), 19(1)",
    "Only protection that was granted and stands can be withdrawn")
WITHDRAWAL_ALREADY_OPEN = define_rule(
    "WITHDRAWAL_ALREADY_OPEN", f"{QR} Arts 14, 19",
    "The protection is already being reconsidered")
WITHDRAWAL_GROUND_NOT_FOR_STATUS = define_rule(
    "WITHDRAWAL_GROUND_NOT_FOR_STATUS", f"{QR} Arts 14(1), 16, 19(1)",
    "Subsidiary protection is withdrawn only on changed circumstances (Art 16), exclusion or "
    "misrepresentation (Art 19(1)); the other grounds concern refugee status (Art 14(1))")
NO_WITHDRAWAL_OPEN = define_rule(
    "NO_WITHDRAWAL_OPEN", f"{APR} Art 66(1)", "No reconsideration of protection is open")
WITHDRAWAL_BEFORE_INFORMATION = define_rule(
    "WITHDRAWAL_BEFORE_INFORMATION", f"{APR} Art 66(1)(a)",
    "The person is informed in writing of the reconsideration and its reasons before anything "
    "else in it, and once")
OBSERVATION_PERIOD_RUNNING = define_rule(
    "OBSERVATION_PERIOD_RUNNING", f"{APR} Art 66(1)(d) (period unconfirmed)",
    "The person may present reasons within a reasonable time after being informed: no "
    "decision before they did or that time has passed")
COMPELLING_REASONS_EXCLUDE_CESSATION = define_rule(
    "COMPELLING_REASONS_EXCLUDE_CESSATION", f"{QR} Arts 11(1) last subparagraph, 16",
    "Cessation on changed circumstances does not apply where compelling reasons arising from "
    "previous persecution or serious harm are shown")


def article_for(ground: str, status_type: str) -> str:
    """The QR article a withdrawal on `ground` rests on, for the status reconsidered."""
    kind = G(ground)
    if status_type == DecisionType.SUBSIDIARY_PROTECTION.value:
        return {G.CESSATION_CIRCUMSTANCES: "Arts 16, 19(1)(a)", G.EXCLUSION: "Art 19(1)(b)",
                G.MISREPRESENTATION: "Art 19(1)(c)"}[kind]
    return _ARTICLE.get(kind, {G.CESSATION_CIRCUMSTANCES: "Arts 11(1)(e)-(f), 14(1)(a)",
                               G.EXCLUSION: "Art 14(1)(b)",
                               G.MISREPRESENTATION: "Art 14(1)(c)"}.get(kind, "Art 14(1)"))


class WithdrawalSteps(CaseState):
    if TYPE_CHECKING:
        def trigger_event(self, event_class: Any, **kwargs: Any) -> None: ...

    def start_withdrawal_procedure(self, step: Step, ground: str) -> None:
        guard(self, step)
        require(self.protected, WITHDRAWAL_NEEDS_PROTECTION, status_of(self))
        open_ = self.withdrawal is not None and self.withdrawal.state in ("OPEN", "INFORMED")
        require(not open_, WITHDRAWAL_ALREADY_OPEN)
        status_type = self.standing_type
        assert status_type is not None
        require(G(ground) in GROUNDS_BY_STATUS[status_type.value],
                WITHDRAWAL_GROUND_NOT_FOR_STATUS, f"{ground} for {status_type.value}")
        self.trigger_event(WithdrawalProcedureStarted, envelope=step.envelope(
            LegalBasis(QR, article_for(ground, status_type.value))),
            ground=ground, status_type=status_type.value)

    def inform_of_withdrawal(self, step: Step, language: str) -> None:
        guard(self, step)
        w = self.withdrawal
        require(w is not None and w.state in ("OPEN", "INFORMED"), NO_WITHDRAWAL_OPEN)
        assert w is not None
        require(w.state == "OPEN", WITHDRAWAL_BEFORE_INFORMATION, "already informed")
        self.trigger_event(PersonInformedOfWithdrawal,
                           envelope=step.envelope(LegalBasis(APR, "Art 66(1)(a)-(c)")),
                           language=language)

    def submit_withdrawal_observations(self, step: Step) -> None:
        guard(self, step)
        w = self.withdrawal
        require(w is not None and w.state in ("OPEN", "INFORMED"), NO_WITHDRAWAL_OPEN)
        assert w is not None
        require(w.state == "INFORMED", WITHDRAWAL_BEFORE_INFORMATION, "not informed yet")
        self.trigger_event(WithdrawalObservationsSubmitted,
                           envelope=step.envelope(LegalBasis(APR, "Art 66(1)(d)")))

    def observations_due(self, step: Step, informed_at: datetime) -> datetime:
        """APR Art 66(1)(d): the reasonable time, a parameter (`WITHDRAWAL_OBSERVATIONS`)."""
        rule = version_for("WITHDRAWAL_OBSERVATIONS", frozenset())
        assert rule.duration is not None
        return period_due(rule.duration, informed_at, self.member_state)

    def decide_withdrawal(self, step: Step, withdrawn: bool, compelling_reasons: bool) -> None:
        guard(self, step)
        w = self.withdrawal
        require(w is not None and w.state in ("OPEN", "INFORMED"), NO_WITHDRAWAL_OPEN)
        assert w is not None
        if not withdrawn:
            self.trigger_event(WithdrawalDiscontinued,
                               envelope=step.envelope(LegalBasis(APR, "Art 66")))
            return
        require(w.informed_at is not None, WITHDRAWAL_BEFORE_INFORMATION, "not informed yet")
        assert w.informed_at is not None
        if w.observations_at is None:
            due = self.observations_due(step, w.informed_at)
            require(step.occurred_at > due, OBSERVATION_PERIOD_RUNNING,
                    f"it ends {due:%Y-%m-%d}")
        require(not (compelling_reasons and G(w.ground) in _CHANGED_CIRCUMSTANCES),
                COMPELLING_REASONS_EXCLUDE_CESSATION)
        marked = bool(self.eurodac.marked)
        self.trigger_event(ProtectionWithdrawn, envelope=step.envelope(
            LegalBasis(QR, article_for(w.ground, w.status_type))), ground=w.ground)
        if marked:  # Eurodac Art 31: the member state unmarks on a withdrawal under 14 or 19
            self.trigger_event(EurodacUnmarked,
                               envelope=step.envelope(LegalBasis(EURODAC, "Art 31")),
                               reason=f"Protection withdrawn ({QR} "
                                      f"{article_for(w.ground, w.status_type)})")
