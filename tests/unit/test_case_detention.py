"""Detention (RCD (EU) 2024/1346 Arts 10-13; APR Art 54; AMMR Art 44; RBPR Art 5) on the
in-memory store: one written order on a ground that fits the case, only where alternatives
failed; an unaccompanied minor only where it protects them (minority as an age assessment
established it); review on request once at a time; release; a review that finds detention
unlawful releases at once. The time limits are in `test_deadline_rules`."""

from __future__ import annotations

from ledger.application import Ledger
from ledger.case import commands as c
from tests.support.cases import at_border, case_of, registered, step
from tests.support.refusals import provokes, refused


def order(case_id: object, ground: str = "IDENTITY", **kwargs: object) -> c.OrderDetention:
    return c.OrderDetention(case_id, ground, "DO-1", True, **kwargs)  # type: ignore[arg-type]


@provokes("DETENTION_ALTERNATIVES_FIRST")
def test_detention_only_where_alternatives_are_ineffective(ledger: Ledger) -> None:
    """RCD Art 10(2)-(3): an individual assessment first; detention is the last resort."""
    case_id = registered(ledger, "D-1")
    refused(ledger, c.OrderDetention(case_id, "IDENTITY", "DO-1", False), 2,
            "DETENTION_ALTERNATIVES_FIRST")
    step(ledger, order(case_id), 2)
    detention = case_of(ledger, case_id).detention
    assert detention is not None and detention.current and detention.ground == "IDENTITY"


@provokes("DETENTION_GROUND_NOT_APPLICABLE")
def test_the_ground_must_fit_the_case(ledger: Ledger) -> None:
    """RCD Art 10(4) grounds need an applicant, the border ground the border procedure (APR Art
    54(1)), AMMR Art 44 a pending transfer procedure, RBPR Art 5 the return border procedure."""
    case_id = registered(ledger, "D-2")
    for ground in ("BORDER_PROCEDURE", "TRANSFER_ABSCONDING", "TRANSFER_SECURITY",
                   "RETURN_BORDER_PROCEDURE"):
        refused(ledger, order(case_id, ground), 2, "DETENTION_GROUND_NOT_APPLICABLE")
    step(ledger, c.RequestTakeCharge(case_id, "EL", "AMMR Art 33(1)"), 2)
    step(ledger, order(case_id, "TRANSFER_ABSCONDING"), 3)
    border = at_border(ledger, "D-3")
    step(ledger, order(border, "BORDER_PROCEDURE"), 3)
    assert case_of(ledger, border).detention.ground == "BORDER_PROCEDURE"


@provokes("DETENTION_IN_FORCE", "NOT_DETAINED", "DETENTION_REVIEW_PENDING")
def test_one_order_at_a_time_review_and_release(ledger: Ledger) -> None:
    """RCD Art 11(2)-(3): one order in force; review on request once pending; release ends it."""
    case_id = registered(ledger, "D-4")
    refused(ledger, c.ReleaseFromDetention(case_id, "GROUND_CEASED"), 2, "NOT_DETAINED")
    refused(ledger, c.RequestDetentionReview(case_id), 2, "NOT_DETAINED")
    step(ledger, order(case_id, ordered_by="JUDICIAL"), 2)
    refused(ledger, order(case_id, "ELEMENTS_OF_CLAIM"), 3, "DETENTION_IN_FORCE")
    step(ledger, c.RequestDetentionReview(case_id), 4)
    refused(ledger, c.RequestDetentionReview(case_id), 5, "DETENTION_REVIEW_PENDING")
    step(ledger, c.DecideDetentionReview(case_id, True), 10)
    assert case_of(ledger, case_id).detention.found_lawful is True
    step(ledger, c.ReleaseFromDetention(case_id, "GROUND_CEASED"), 12)
    detention = case_of(ledger, case_id).detention
    assert not detention.current and detention.release_reason == "GROUND_CEASED"
    refused(ledger, c.DecideDetentionReview(case_id, True), 13, "NOT_DETAINED")
    step(ledger, order(case_id, "ELEMENTS_OF_CLAIM"), 14)  # a new order after release


def test_detention_found_unlawful_ends_at_once(ledger: Ledger) -> None:
    """RCD Art 11(3): immediate release (unconfirmed: `RELEASE_WHEN_FOUND_UNLAWFUL`)."""
    case_id = registered(ledger, "D-5")
    step(ledger, order(case_id), 2)
    assert step(ledger, c.DecideDetentionReview(case_id, False), 9) == (
        "DetentionReviewed", "DetentionEnded")
    detention = case_of(ledger, case_id).detention
    assert not detention.current and detention.release_reason == "UNLAWFUL"


@provokes("UNACCOMPANIED_MINOR_DETENTION")
def test_an_unaccompanied_minor_only_where_detention_protects_them(ledger: Ledger) -> None:
    """RCD Art 13(2)(b): exceptionally, as a last resort, where it protects the minor."""
    case_id = registered(ledger, "D-6", minor=True)
    refused(ledger, order(case_id), 2, "UNACCOMPANIED_MINOR_DETENTION")
    step(ledger, order(case_id, protects_minor=True), 2)
    assert case_of(ledger, case_id).detention.minor_exception is True


@provokes("UNACCOMPANIED_MINOR_DETENTION")
def test_minority_as_the_age_assessment_established_it(ledger: Ledger) -> None:
    """APR Art 25 with RCD Art 13(2): found adult, the claimed minor may be detained as an
    adult; presumed a minor by the benefit of the doubt, they may not."""
    adult = registered(ledger, "D-7", minor=True)
    step(ledger, c.InitiateAgeAssessment(adult, "MULTIDISCIPLINARY"), 2)
    refused(ledger, order(adult), 3, "UNACCOMPANIED_MINOR_DETENTION")  # the claim holds
    step(ledger, c.RecordAgeAssessmentResult(adult, "ADULT", 19), 5)
    step(ledger, order(adult), 6)
    doubt = registered(ledger, "D-8", minor=False)
    step(ledger, order(doubt), 2)
    step(ledger, c.ReleaseFromDetention(doubt, "ALTERNATIVE_MEASURE"), 3)
    step(ledger, c.InitiateAgeAssessment(doubt, "MULTIDISCIPLINARY"), 4)
    step(ledger, c.RecordAgeAssessmentResult(doubt, "BENEFIT_OF_DOUBT"), 6)
    refused(ledger, order(doubt), 7, "UNACCOMPANIED_MINOR_DETENTION")


def test_a_detainee_found_an_unaccompanied_minor_is_released(ledger: Ledger) -> None:
    """RCD Art 13(2): detention ordered for an adult does not protect a minor; the finding
    releases them in the same step."""
    case_id = registered(ledger, "D-9")
    step(ledger, order(case_id), 2)
    step(ledger, c.InitiateAgeAssessment(case_id, "MULTIDISCIPLINARY"), 3)
    assert step(ledger, c.RecordAgeAssessmentResult(case_id, "MINOR"), 6) == (
        "AgeAssessed", "DetentionEnded")
    case = case_of(ledger, case_id)
    assert case.unaccompanied_minor and case.detention.release_reason == "FOUND_MINOR"
