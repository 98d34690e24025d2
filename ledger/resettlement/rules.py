"""The rules of the Union plan and of admission files, each citing its URF article (or, for a
step whose article our sources do not name, saying so)."""

from __future__ import annotations

from ledger.resettlement.parameters import PROCEDURE_UNCONFIRMED, URF
from ledger.rules import LEDGER, define_rule

# --- the Union plan (Art 8) ---------------------------------------------------------------------
PLAN_NOT_ADOPTED = define_rule(
    "UNION_PLAN_NOT_ADOPTED", f"{URF} Art 8(1)",
    "No Union Resettlement and Humanitarian Admission Plan is adopted for this period")
PLAN_ALREADY_ADOPTED = define_rule(
    "UNION_PLAN_ALREADY_ADOPTED", f"{URF} Art 8(1)",
    "A two-year Union plan already covers (part of) this period")
PLAN_ADOPTED_OUT_OF_TIME = define_rule(
    "UNION_PLAN_ADOPTED_OUT_OF_TIME", f"{URF} Art 8(1)",
    "The Council adopts the two-year plan in the year before the period it covers")

# --- an admission file --------------------------------------------------------------------------
ADMISSION_OUTSIDE_PLAN = define_rule(
    "ADMISSION_OUTSIDE_PLAN_PERIOD", f"{URF} Art 8(1)",
    "An admission under the framework is registered within the period of the Union plan "
    "it implements")
ADMISSION_ALREADY_REGISTERED = define_rule(
    "ADMISSION_ALREADY_REGISTERED", LEDGER,
    "The member state already holds an admission file with this reference")
ADMISSION_NOT_REGISTERED = define_rule(
    "ADMISSION_NOT_REGISTERED", LEDGER,
    "The member state holds no admission file with this reference")
ADMISSION_CLOSED = define_rule(
    "ADMISSION_CLOSED", LEDGER,
    "The admission file is closed (refused, arrived or discontinued); nothing more is recorded")
ADMISSION_ALREADY_ASSESSED = define_rule(
    "ADMISSION_ALREADY_ASSESSED", LEDGER,
    "The admission file has been assessed; the decision follows (one assessment per file)")
ADMISSION_ALREADY_DECIDED = define_rule(
    "ADMISSION_ALREADY_DECIDED", LEDGER,
    "Admission has been decided; only the arrival or a discontinuance follows (one decision "
    "per file)")
DECISION_REQUIRES_ASSESSMENT = define_rule(
    "ADMISSION_DECISION_REQUIRES_ASSESSMENT", PROCEDURE_UNCONFIRMED,
    "Admission is decided after the assessment (identify, register, assess, consent, decide)")
GRANT_REQUIRES_CONSENT = define_rule(
    "ADMISSION_GRANT_REQUIRES_CONSENT", PROCEDURE_UNCONFIRMED,
    "Admission is granted to a person who consented to be admitted")
GRANT_DESPITE_REFUSAL_GROUND = define_rule(
    "ADMISSION_GRANT_DESPITE_REFUSAL_GROUND", f"{URF} Art 6(1)",
    "A mandatory ground for refusal was found in the assessment: admission is refused")
ARRIVAL_REQUIRES_GRANT = define_rule(
    "ADMISSION_ARRIVAL_REQUIRES_GRANT", PROCEDURE_UNCONFIRMED,
    "A person arrives under the framework once admission was granted")
STATUS_NOT_FOR_ADMISSION_TYPE = define_rule(
    "ADMISSION_STATUS_NOT_FOR_TYPE",
    f"{URF} (status on arrival by admission type: not in our sources, unconfirmed parameter)",
    "This admission type does not lead to the status named")
