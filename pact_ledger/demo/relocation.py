"""Relocation (AMMR (EU) 2024/1351 Arts 67-68), the solidarity measure that moves applicants.

Candidates are applicants in the member states under migratory pressure, from nationalities
that are mostly recognised, never with a security flag (Art 67(2)); more of them while the
crisis runs there (a Solidarity Response Plan). Selected after lodging, accepted by the
relocation member state, transferred within four weeks (mostly), then they arrive (which
credits the relocation member state's solidarity account) or do not appear. Some selections
are cancelled; after a cancellation or a no-show the examination continues here.
"""

from __future__ import annotations

from importlib.util import find_spec

from ledger.case.commands import (
    AcceptRelocation,
    CancelRelocation,
    CloseCase,
    RecordAbsconding,
    RecordRelocationArrival,
    RecordRelocationNoShow,
    SelectForRelocation,
    TransferForRelocation,
)
from ledger.vocabulary import ClosureReason as C
from pact_ledger.demo.catalogue import BENEFITING, CW, DU, RELOCATION_TAKERS
from pact_ledger.demo.nationalities import LOW_RECOGNITION
from pact_ledger.demo.plan import CasePlan

#: Arrival credits the relocation member state's solidarity account; without the crediting
#: module the ledger cannot record it, and relocations stop at the transfer.
ARRIVAL_RECORDED = find_spec("ledger.solidarity.crediting") is not None
SHARE = 0.06  # of eligible applicants in a benefiting member state
CRISIS_SHARE = 0.2  # while the crisis derogations apply there
CANCELLATIONS = (
    "The relocation member state declined after the interview (AMMR Art 67(8))",
    "Meaningful links with the benefiting member state found (AMMR Art 67(5))",
    "The applicant could not be reached for the transfer",
)


def candidate(case: CasePlan) -> bool:
    """Whether the person will be identified for relocation (decided at arrival)."""
    if (case.ms not in BENEFITING or case.security or case.nationality in LOW_RECOGNITION
            or case.nationality == "XX"):
        return False
    return case.chance(CRISIS_SHARE if case.derogations(case.t) else SHARE)


def relocate(case: CasePlan) -> bool:
    """Selection to arrival; True when the person left this member state."""
    rng = case.rng
    others = {ms: w for ms, w in RELOCATION_TAKERS.items() if ms != case.ms}
    taker = rng.choices(list(others), list(others.values()))[0]
    case.step(rng.uniform(2, 20), SelectForRelocation(case.id, taker), DU)
    r = rng.random()
    if r < 0.08:
        case.step(rng.uniform(4, 20), CancelRelocation(case.id, rng.choice(CANCELLATIONS)), DU)
        return False
    case.step(rng.uniform(3, 12), AcceptRelocation(case.id), DU)
    if r < 0.13:
        case.step(rng.uniform(3, 14), CancelRelocation(case.id, rng.choice(CANCELLATIONS)), DU)
        return False
    late = case.chance(0.08)  # four weeks (Art 67(11))
    case.step(rng.uniform(29, 45) if late else rng.uniform(5, 26), TransferForRelocation(case.id),
              DU)
    if r < 0.24:
        case.step(rng.uniform(1, 4), RecordRelocationNoShow(case.id), DU)
        if case.chance(0.6):
            case.step(rng.uniform(5, 30), RecordAbsconding(case.id), CW)
            if case.chance(0.5):
                case.step(rng.uniform(30, 90), CloseCase(case.id, C.ABSCONDED.value), CW)
            return True
        return False
    if not ARRIVAL_RECORDED:
        return True
    case.step(rng.uniform(0.2, 1.5), RecordRelocationArrival(case.id), DU, office=False)
    if case.chance(0.85):
        case.step(rng.uniform(1, 10), CloseCase(case.id, C.TRANSFERRED.value), CW)
    return True
