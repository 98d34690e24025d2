"""Numbers and choices of the resettlement framework: confirmed ones cite their article; those
our sources leave unconfirmed (pact-rules-procedures.md §6) are parameters with defaults and
their source gap, never constants buried in a rule."""

from __future__ import annotations

from dataclasses import dataclass, field

URF = "URF (EU) 2024/1350"
#: Cited where our sources do not name the article of a procedural step (§6 item 4).
PROCEDURE_UNCONFIRMED = (f"{URF} admission procedure (article not found: "
                         "pact-rules-procedures.md §6 item 4, unconfirmed)")

#: Art 8(1): the Union plan covers two years (confirmed).
PLAN_YEARS = 2
#: Art 6(1)(f): refused by a member state under (c) or (d) in the previous 3 years (confirmed).
REFUSAL_LOOKBACK_YEARS = 3


@dataclass(frozen=True)
class LumpSums:
    """Art 14 amending AMIF Reg. (EU) 2021/1147 Art 19 (confirmed: MPI art 14; RW): euro cents
    per person admitted. `emergency` is UNCONFIRMED: the sources name no sum for emergency
    admission; by default that of resettlement."""

    resettlement: int = 10_000_00
    humanitarian: int = 6_000_00
    humanitarian_vulnerable: int = 8_000_00
    emergency: int = 10_000_00


@dataclass(frozen=True)
class ProcedureParameters:
    """The admission procedure's steps as pact-rules-procedures.md §6 item 4 lists them
    ("identify, register, assess, consent, decide"); the article was not found (UNCONFIRMED),
    so each ordering rule can be switched off. `statuses`: which status each admission type
    leads to on arrival (UNCONFIRMED: not in our sources)."""

    decision_requires_assessment: bool = True
    grant_requires_consent: bool = True
    statuses: dict[str, frozenset[str]] = field(default_factory=lambda: {
        "RESETTLEMENT": frozenset({"REFUGEE", "SUBSIDIARY_PROTECTION"}),
        "EMERGENCY_ADMISSION": frozenset({"REFUGEE", "SUBSIDIARY_PROTECTION"}),
        "HUMANITARIAN_ADMISSION": frozenset({"REFUGEE", "SUBSIDIARY_PROTECTION",
                                             "NATIONAL_HUMANITARIAN_STATUS"}),
    })


@dataclass(frozen=True)
class SolidarityLink:
    """Whether a person admitted under the framework counts toward the member state's AMMR
    solidarity contribution. UNCONFIRMED: AMMR Art 56(2) lists relocation, financial
    contributions and alternative measures; no provision counting resettlement was found
    (pact-rules-procedures.md §6 item 6). Off by default; each arrival records the value
    in force, so the read model never recounts history under a later setting."""

    counts: bool = False
    basis: str = ("AMMR (EU) 2024/1351 Art 56(2); no provision counting resettlement as "
                  "solidarity found (pact-rules-procedures.md §6 item 6, unconfirmed)")


DEFAULT_LUMP_SUMS = LumpSums()
DEFAULT_PROCEDURE = ProcedureParameters()
DEFAULT_SOLIDARITY_LINK = SolidarityLink()
