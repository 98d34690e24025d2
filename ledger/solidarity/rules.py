"""The rules of the solidarity cycle and accounts, each with the AMMR article that lays it down.

Registered in the ledger's one catalogue (`ledger.rules.RULES`), so `{ rules }` lists them too.
"""

from __future__ import annotations

from ledger.rules import LEDGER, define_rule
from ledger.solidarity.parameters import AMMR

_rule = define_rule

# --- the annual cycle ----------------------------------------------------------------------------
CYCLE_NOT_OPENED = _rule(
    "SOLIDARITY_CYCLE_NOT_OPENED", f"{AMMR} Art 9",
    "The annual cycle opens with the European Annual Asylum and Migration Report; "
    "none is recorded for this year",
)
REPORT_ALREADY_ADOPTED = _rule(
    "ANNUAL_REPORT_ALREADY_ADOPTED", f"{AMMR} Art 9",
    "The annual report for this cycle has already been adopted",
)
DECISION_ALREADY_ADOPTED = _rule(
    "PRESSURE_DECISION_ALREADY_ADOPTED", f"{AMMR} Art 11",
    "The Commission's decision on migratory pressure for this cycle has already been adopted",
)
KEY_INPUTS_AFTER_PROPOSAL = _rule(
    "FAIR_SHARE_INPUTS_AFTER_PROPOSAL", f"{AMMR} Art 12(2), Art 66",
    "The reference key feeds the Commission's proposal; its inputs are recorded before the pool "
    "is proposed",
)
PROPOSAL_REQUIRES_DECISION = _rule(
    "POOL_PROPOSAL_REQUIRES_DECISION", f"{AMMR} Art 12",
    "The pool is proposed with, and after, the decision on migratory pressure (Art 11)",
)
PROPOSAL_REQUIRES_KEY = _rule(
    "POOL_PROPOSAL_REQUIRES_FAIR_SHARES", f"{AMMR} Art 12(2), Annex I",
    "The proposal's indicative shares follow the reference key; record its inputs first",
)
POOL_ALREADY_PROPOSED = _rule(
    "POOL_ALREADY_PROPOSED", f"{AMMR} Art 12", "The pool for this cycle has already been proposed"
)
PROPOSAL_BELOW_MINIMUM = _rule(
    "POOL_PROPOSAL_BELOW_MINIMUM", f"{AMMR} Art 12(2)",
    "The proposal must provide at least the minimum relocations and financial contributions",
)
FORUM_REQUIRES_PROPOSAL = _rule(
    "FORUM_REQUIRES_PROPOSAL", f"{AMMR} Art 13(2)",
    "The High-Level Forum is convened after the report, the decision and the proposal",
)
SECOND_FORUM_REQUIRES_FIRST = _rule(
    "SECOND_FORUM_REQUIRES_FIRST", f"{AMMR} Art 13(4)",
    "A second meeting of the High-Level Forum follows the first",
)
FORUM_ALREADY_CONVENED = _rule(
    "FORUM_ALREADY_CONVENED", f"{AMMR} Art 13",
    "This meeting of the High-Level Forum has already been convened",
)
POOL_REQUIRES_FORUM = _rule(
    "POOL_REQUIRES_FORUM", f"{AMMR} Art 57(1)",
    "The Council establishes the pool in accordance with the pledging at the High-Level Forum",
)
POOL_ALREADY_ESTABLISHED = _rule(
    "POOL_ALREADY_ESTABLISHED", f"{AMMR} Art 57(1)",
    "The Council implementing act for this cycle has already been adopted",
)
CLOSE_REQUIRES_POOL = _rule(
    "CYCLE_CLOSE_REQUIRES_POOL", f"{AMMR} Art 60(3)",
    "A cycle is closed once the Council implementing act established its pool",
)
YEAR_NOT_ENDED = _rule(
    "CYCLE_YEAR_NOT_ENDED", f"{AMMR} Art 60(3)",
    "Pledges are implemented until the end of the year; the cycle closes after it",
)
CYCLE_CLOSED = _rule(
    "SOLIDARITY_CYCLE_CLOSED", LEDGER, "The cycle is closed; nothing more is recorded on it"
)

# --- accounts ------------------------------------------------------------------------------------
PLEDGE_REQUIRES_FORUM = _rule(
    "PLEDGE_REQUIRES_FORUM", f"{AMMR} Art 57(1)",
    "Pledges are made at the High-Level Forum, once it has been convened",
)
PLEDGES_FIXED = _rule(
    "PLEDGES_FIXED_BY_COUNCIL_ACT", f"{AMMR} Art 57(1)",
    "The Council implementing act has set out the pledges; no pledge can be added",
)
DELIVERY_REQUIRES_POOL = _rule(
    "DELIVERY_REQUIRES_POOL", f"{AMMR} Art 60(3)",
    "Contributions are implemented once the Council implementing act established the pool",
)
DELIVERY_WITHOUT_PLEDGE = _rule(
    "DELIVERY_WITHOUT_PLEDGE", f"{AMMR} Art 60(3)",
    "A member state implements its pledged contributions; it pledged none of this type",
)
DEDUCTION_REQUIRES_POOL = _rule(
    "DEDUCTION_REQUIRES_POOL", f"{AMMR} Arts 61(1), 62(1)",
    "A deduction is of the pledges set out in the Council implementing act",
)
DEDUCTION_WHILE_BENEFITING = _rule(
    "DEDUCTION_WHILE_BENEFITING", f"{AMMR} Art 61(1)",
    "A member state that uses the pool (Arts 58, 59) cannot ask a deduction for migratory pressure",
)
DEDUCTION_ALREADY_REQUESTED = _rule(
    "DEDUCTION_ALREADY_REQUESTED", f"{AMMR} Arts 61-62",
    "A deduction has already been requested for this cycle",
)
DEDUCTION_NOT_REQUESTED = _rule(
    "DEDUCTION_NOT_REQUESTED", f"{AMMR} Arts 61-62",
    "A deduction is granted on a request; this member state has none pending",
)
DEDUCTION_EXCEEDS_REQUEST = _rule(
    "DEDUCTION_EXCEEDS_REQUEST", f"{AMMR} Arts 61-62",
    "The deduction granted cannot exceed the deduction requested",
)
BENEFIT_REQUIRES_LISTING = _rule(
    "BENEFIT_REQUIRES_PRESSURE_LISTING", f"{AMMR} Art 58(1)",
    "Only a member state the Art 11 decision lists as under migratory pressure uses the pool "
    "under Art 58; others notify their need under Art 59",
)
ALREADY_BENEFITING = _rule(
    "ALREADY_BENEFITING", f"{AMMR} Arts 58-59",
    "This member state already benefits from the pool in this cycle",
)
