"""The rules that refuse commands, each with the article that lays it down.

A rule's `code` is stable (clients switch on it); `article` cites the provision; `summary` is the
sentence a case worker reads. Rules of the ledger's own integrity, which no regulation states,
cite `LEDGER` so that nobody mistakes them for law.
"""

from __future__ import annotations

from dataclasses import dataclass

LEDGER = "Pact Ledger integrity rule (no legal article)"


@dataclass(frozen=True)
class Rule:
    code: str
    article: str
    summary: str


RULES: dict[str, Rule] = {}


def define_rule(code: str, article: str, summary: str) -> Rule:
    """Add a rule to the catalogue (codes are unique across the whole ledger)."""
    if code in RULES:
        raise RuntimeError(f"rule {code} defined twice")
    rule = Rule(code, article, summary)
    RULES[code] = rule
    return rule


_rule = define_rule


# --- integrity of the record -------------------------------------------------------------------
CASE_CLOSED = _rule(
    "CASE_CLOSED",
    "APR (EU) 2024/1348 Art 55",
    "The case is closed; a new application after closure is a subsequent application",
)
OCCURRED_IN_FUTURE = _rule(
    "OCCURRED_IN_FUTURE", LEDGER, "A step cannot have legally occurred in the future"
)
OCCURRED_BEFORE_PREVIOUS_STEP = _rule(
    "OCCURRED_BEFORE_PREVIOUS_STEP",
    LEDGER,
    "A step cannot have occurred before the step it follows",
)

# --- screening: Regulation (EU) 2024/1356 ------------------------------------------------------
SCREENING_NOT_IN_PROGRESS = _rule(
    "SCREENING_NOT_IN_PROGRESS",
    "Screening Regulation (EU) 2024/1356 Art 18",
    "Screening can only be completed while it is in progress",
)
SCREENING_IN_PROGRESS = _rule(
    "SCREENING_IN_PROGRESS",
    "Screening Regulation (EU) 2024/1356 Art 18(1)(b)",
    "The applicant is referred to registration only when screening ends",
)
REFERRAL_REQUIRES_APPLICATION = _rule(
    "REFERRAL_REQUIRES_APPLICATION",
    "Screening Regulation (EU) 2024/1356 Art 18(1)(b)-(c)",
    "Only a person who has applied for protection is referred to registration or relocation",
)

# --- access to the procedure: APR (EU) 2024/1348 ------------------------------------------------
APPLICATION_ALREADY_MADE = _rule(
    "APPLICATION_ALREADY_MADE",
    "APR (EU) 2024/1348 Art 55",
    "An application was already made in this case; a further one is a subsequent application",
)
REGISTRATION_REQUIRES_APPLICATION = _rule(
    "REGISTRATION_REQUIRES_APPLICATION",
    "APR (EU) 2024/1348 Art 27(1)",
    "Only an application that has been made can be registered",
)
LODGING_REQUIRES_REGISTRATION = _rule(
    "LODGING_REQUIRES_REGISTRATION",
    "APR (EU) 2024/1348 Art 28(1)",
    "An application is lodged after it has been registered, and only once",
)
PROCEDURE_REQUIRES_LODGING = _rule(
    "PROCEDURE_REQUIRES_LODGING",
    "APR (EU) 2024/1348 Art 35",
    "The examination procedure runs from lodging (the border procedure from registration, "
    "Art 51(2))",
)
PROCEDURE_ALREADY_ASSIGNED = _rule(
    "PROCEDURE_ALREADY_ASSIGNED",
    "APR (EU) 2024/1348 Art 35",
    "An examination procedure is already assigned and no decision has been issued under it",
)

# --- decisions --------------------------------------------------------------------------------
DECISION_REQUIRES_EXAMINATION = _rule(
    "DECISION_REQUIRES_EXAMINATION",
    "APR (EU) 2024/1348 Art 35",
    "A decision is issued on a lodged application examined under an assigned procedure",
)
WITHDRAWAL_REQUIRES_REGISTRATION = _rule(
    "WITHDRAWAL_REQUIRES_REGISTRATION",
    "APR (EU) 2024/1348 Arts 40-41",
    "Only a registered application can be withdrawn or declared implicitly withdrawn",
)
DECISION_ALREADY_ISSUED = _rule(
    "DECISION_ALREADY_ISSUED",
    "APR (EU) 2024/1348 Art 35",
    "A first-instance decision stands; a new one needs a remittal on appeal",
)

# --- remedies: APR Arts 67-68 ------------------------------------------------------------------
APPEAL_REQUIRES_DECISION = _rule(
    "APPEAL_REQUIRES_DECISION",
    "APR (EU) 2024/1348 Art 67(1)",
    "An appeal lies against a decision; this case has no decision to appeal",
)
DECISION_NOT_APPEALABLE = _rule(
    "DECISION_NOT_APPEALABLE",
    "APR (EU) 2024/1348 Art 67(1)",
    "This type of decision is not open to appeal by the applicant",
)
DECISION_NOT_NOTIFIED = _rule(
    "DECISION_NOT_NOTIFIED",
    "APR (EU) 2024/1348 Art 67(7)",
    "The time limit for an appeal runs from notification; the decision was not notified",
)
APPEAL_ALREADY_PENDING = _rule(
    "APPEAL_ALREADY_PENDING",
    "APR (EU) 2024/1348 Art 67",
    "An appeal against this decision is already pending",
)
NO_APPEAL_PENDING = _rule(
    "NO_APPEAL_PENDING",
    "APR (EU) 2024/1348 Art 67",
    "There is no pending appeal to decide",
)
SUBSTITUTED_DECISION_REQUIRED = _rule(
    "SUBSTITUTED_DECISION_REQUIRED",
    "APR (EU) 2024/1348 Art 67(3)",
    "A court that overturns a decision must state the decision it substitutes",
)

# --- return: APR Art 37, Return Directive 2008/115/EC ----------------------------------------
RETURN_REQUIRES_REJECTION = _rule(
    "RETURN_REQUIRES_REJECTION",
    "APR (EU) 2024/1348 Art 37",
    "A return decision follows a rejection of the application or a referral to return",
)
RETURN_DECISION_ALREADY_ISSUED = _rule(
    "RETURN_DECISION_ALREADY_ISSUED",
    "APR (EU) 2024/1348 Art 37",
    "A return decision has already been issued for the decision that stands",
)

# --- closure -------------------------------------------------------------------------------------
CLOSURE_REASON_NOT_MET = _rule(
    "CLOSURE_REASON_NOT_MET",
    LEDGER,
    "The reason given for closing the case does not match its record",
)
