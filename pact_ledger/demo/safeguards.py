"""Safeguards (APR Arts 8(2), 15-19): information on free legal counselling at registration,
interpreters asked for and provided before the interview, free counselling in the administrative
procedure and free assistance on appeal (some refused for no sufficient prospect and brought
before a court, Art 17(3))."""

from __future__ import annotations

from datetime import timedelta

from ledger.case.commands import (
    ChallengeLegalAidRefusal,
    DecideInterpreter,
    DecideLegalAid,
    InformOfLegalCounselling,
    RequestInterpreter,
    RequestLegalAid,
)
from pact_ledger.demo.catalogue import AB, CW
from pact_ledger.demo.extra_steps import add, rng_for
from pact_ledger.demo.plan import CasePlan

INTERPRETER_SHARE, COUNSELLING_SHARE, ASSISTANCE_SHARE = 0.25, 0.2, 0.5
LANGUAGES = ("ar", "ps", "ti", "bn", "ur", "fr", "en")
PROVIDERS = ("ASGI", "CIR", "Avvocato di strada", "Legal Centre Lesvos", "CEAR",
             "Refugee Law Clinic")
MINUTE = timedelta(minutes=1)


def at_registration(case: CasePlan) -> None:
    """Told of free legal counselling at registration (Art 15(2)); some ask for an interpreter
    (provided at once) or for free counselling (granted)."""
    rng = rng_for(case, "safeguards")
    add(case, case.t, InformOfLegalCounselling(case.id, rng.choice(LANGUAGES)), CW)
    if rng.random() < INTERPRETER_SHARE:
        language = rng.choice(LANGUAGES)
        add(case, case.t + MINUTE, RequestInterpreter(case.id, language), CW)
        add(case, case.t + 10 * MINUTE, DecideInterpreter(
            case.id, True, f"INT-{case.ms}-{rng.randint(100, 999)}"), CW)
    if rng.random() < COUNSELLING_SHARE:
        add(case, case.t + MINUTE, RequestLegalAid(case.id, "COUNSELLING"), CW)
        add(case, case.t + 30 * MINUTE, DecideLegalAid(
            case.id, "COUNSELLING", True, rng.choice(PROVIDERS)), CW)


def assistance_on_appeal(case: CasePlan) -> None:
    """Free legal assistance asked for with the appeal (Art 17); a few refused for no sufficient
    prospect, challenged, and granted by the court (Art 17(3))."""
    rng = rng_for(case, "assistance")
    if rng.random() >= ASSISTANCE_SHARE:
        return
    add(case, case.t + MINUTE, RequestLegalAid(case.id, "ASSISTANCE"), CW)
    if rng.random() < 0.2:
        add(case, case.t + 2 * MINUTE, DecideLegalAid(
            case.id, "ASSISTANCE", False, None, "NO_SUFFICIENT_PROSPECT"), CW)
        add(case, case.t + 3 * MINUTE, ChallengeLegalAidRefusal(case.id), AB)
        add(case, case.t + 4 * MINUTE, DecideLegalAid(
            case.id, "ASSISTANCE", True, rng.choice(PROVIDERS), None, True), AB)
        return
    add(case, case.t + 2 * MINUTE, DecideLegalAid(case.id, "ASSISTANCE", True,
                                                  rng.choice(PROVIDERS)), CW)
