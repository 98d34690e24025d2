"""Reception conditions (RCD (EU) 2024/1346) on the in-memory store: for applicants from the
making of the application (Art 19(1)); a specific residence only on an Art 9(1) ground;
reduction or withdrawal with reasons (Art 23, unconfirmed); labour-market access from
registration, not in the accelerated procedure on APR Art 42(1)(a)-(f) (Art 17(2))."""

from __future__ import annotations

import pytest

from ledger.application import Ledger
from ledger.case import commands as c
from ledger.case.aggregate import Case
from ledger.errors import InvalidInput
from ledger.personal_data.sealed import SealedValue
from tests.support.cases import applied, case_of, examined, registered, step
from tests.support.refusals import provokes, refused
from tests.support.steps import T0


@provokes("RECEPTION_REQUIRES_APPLICATION")
def test_reception_is_for_applicants(ledger: Ledger) -> None:
    """RCD Art 19(1), APR Art 26: from the making of the application."""
    step(ledger, c.StartScreening("IT", "RC-1", c.Person("SY"), "SEARCH_AND_RESCUE",
                                  "Lampedusa"), 0)
    screened = Case.create_id("IT", "RC-1")  # screening, no application yet
    case_id = applied(ledger, "RC-0")
    refused(ledger, c.AllocateReception(screened, "ACCOMMODATION", "CARA"), 1,
            "RECEPTION_REQUIRES_APPLICATION")
    refused(ledger, c.AssessSpecialReceptionNeeds(screened), 1, "RECEPTION_REQUIRES_APPLICATION")
    step(ledger, c.AllocateReception(case_id, "ACCOMMODATION", "CARA Bari"), 1)
    step(ledger, c.AssessSpecialReceptionNeeds(case_id, ("PREGNANCY",)), 2)
    reception = case_of(ledger, case_id).reception
    assert reception.place == "CARA Bari" and reception.special_needs == ("PREGNANCY",)
    assert reception.needs_assessed_at == T0.replace(day=T0.day + 2)


@provokes("SPECIFIC_RESIDENCE_NEEDS_GROUND")
def test_a_specific_residence_needs_its_ground(ledger: Ledger) -> None:
    """RCD Art 9(1): public order or a risk of absconding, and only for that allocation."""
    case_id = registered(ledger, "RC-2")
    refused(ledger, c.AllocateReception(case_id, "SPECIFIC_RESIDENCE", "Via Roma 1"), 2,
            "SPECIFIC_RESIDENCE_NEEDS_GROUND")
    refused(ledger, c.AllocateReception(case_id, "ACCOMMODATION", "CARA", "PUBLIC_ORDER"), 2,
            "SPECIFIC_RESIDENCE_NEEDS_GROUND")
    step(ledger, c.AllocateReception(case_id, "SPECIFIC_RESIDENCE", "Via Roma 1",
                                     "RISK_OF_ABSCONDING"), 2)


@provokes("MATERIAL_CONDITIONS_WITHDRAWN")
def test_reduction_and_withdrawal_with_reasons(ledger: Ledger) -> None:
    """RCD Art 23 (unconfirmed): an individual, reasoned decision (a reason is required: the
    shape check refuses an empty one, naming the field); the reason is sealed."""
    case_id = registered(ledger, "RC-3")
    with pytest.raises(InvalidInput, match="reason"):
        step(ledger, c.ReduceMaterialConditions(case_id, "REDUCE", "ABSCONDING", "  "), 2)
    step(ledger, c.ReduceMaterialConditions(case_id, "REDUCE", "HOUSE_RULES_BREACH",
                                            "Repeated breaches"), 2)
    reception = case_of(ledger, case_id).reception
    assert reception.material_conditions == "REDUCED"
    assert isinstance(reception.reduction_reason, SealedValue)
    step(ledger, c.ReduceMaterialConditions(case_id, "WITHDRAW", "ABSCONDING", "Absconded"), 3)
    refused(ledger, c.ReduceMaterialConditions(case_id, "REDUCE", "ABSCONDING", "again"), 4,
            "MATERIAL_CONDITIONS_WITHDRAWN")


@provokes("LABOUR_MARKET_NEEDS_REGISTRATION", "LABOUR_MARKET_ALREADY_GRANTED",
          "LABOUR_MARKET_EXCLUDED_ACCELERATED")
def test_labour_market_access(ledger: Ledger) -> None:
    """RCD Art 17(1)-(2): counted from registration; not while accelerated on APR Art
    42(1)(a)-(f); the nationality ground 42(1)(j) does not exclude it."""
    made = applied(ledger, "RC-4")
    refused(ledger, c.GrantLabourMarketAccess(made), 1, "LABOUR_MARKET_NEEDS_REGISTRATION")
    step(ledger, c.RegisterApplication(made), 1)
    step(ledger, c.GrantLabourMarketAccess(made), 180)
    refused(ledger, c.GrantLabourMarketAccess(made), 181, "LABOUR_MARKET_ALREADY_GRANTED")
    fast = examined(ledger, "RC-5", "ACCELERATED")
    step(ledger, c.GrantLabourMarketAccess(fast), 4)  # no Art 42(1)(a)-(f) ground
    excluded = registered(ledger, "RC-6")
    step(ledger, c.LodgeApplication(excluded), 2)
    step(ledger, c.AssignProcedure(excluded, "ACCELERATED", ("APR Art 42(1)(c)",)), 3)
    refused(ledger, c.GrantLabourMarketAccess(excluded), 4, "LABOUR_MARKET_EXCLUDED_ACCELERATED")
