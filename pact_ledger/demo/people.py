"""The people of a case: the person it is about (synthetic) and the officers who record it.

Family names are placeholder names (Doe, Mustermann, ...): nothing here is about a real person.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from ledger.case.commands import Person
from ledger.envelope import Actor
from pact_ledger.demo.catalogue import AB, CW, DM, DU, FM, RO, SO, STATES

GIVEN = ("Amina Yusuf Fatima Samir Mariam Omar Lina Karim Ahmad Nour Ibrahim Zainab Musa Aisha "
         "Tesfay Abdi Hawa Juan Maria Giorgi Nino Rahim Salma Moussa Awa").split()
FAMILY = ("Doe Roe Bloggs Mustermann Musterfrau Exemplar Esempio Ejemplo Placeholder Sample "
          "Specimen Testperson").split()

UNACCOMPANIED_SHARE = 0.05  # aged 14 to 17
CHILD_SHARE = 0.07  # children under 14 applying with their family
UNKNOWN_BIRTH_SHARE = 0.03  # adults without a recorded date of birth


def person(rng: random.Random, nationality: str, at: datetime) -> Person:
    """An adult, an unaccompanied minor or a child with family, by age at `at`."""
    r = rng.random()
    minor = r < UNACCOMPANIED_SHARE
    if minor:
        age = rng.randint(14, 17)
    elif r < UNACCOMPANIED_SHARE + CHILD_SHARE:
        age = rng.randint(0, 13)
    else:
        age = int(rng.triangular(18, 60, 26))
    born = at.date() - timedelta(days=int(age * 365.25) + rng.randint(1, 360))
    unknown = age >= 18 and rng.random() < UNKNOWN_BIRTH_SHARE
    return Person(nationality, None if unknown else born, minor, rng.choice(FAMILY),
                  rng.choice(GIVEN))


def estimated_age(rng: random.Random) -> int:
    """An age estimate for a person without a date of birth (always an adult here)."""
    return rng.randint(20, 45)


def staff(rng: random.Random, ms: str) -> dict[str, Actor]:
    """The officers of one case: the same case worker and decision maker throughout. The Dublin
    unit and the return officer are case workers by role (`ledger.authorization.policy`)."""
    profile = STATES[ms]
    court = rng.randrange(len(profile.courts))
    code = ms.lower()
    asylum = f"{ms} {profile.asylum}"
    return {
        SO: Actor(f"{code}-so-{rng.randint(1, 20):02d}", SO, f"{ms} {profile.police}", ms),
        CW: Actor(f"{code}-cw-{rng.randint(1, 12):02d}", CW, asylum, ms),
        DM: Actor(f"{code}-dm-{rng.randint(1, 6):02d}", DM, asylum, ms),
        DU: Actor(f"{code}-du-{rng.randint(1, 4):02d}", CW, f"{asylum}, Dublin unit", ms),
        AB: Actor(f"{code}-ab-{court + 1:02d}", AB, profile.courts[court], ms),
        RO: Actor(f"{code}-ro-{rng.randint(1, 8):02d}", CW, f"{ms} {profile.police}", ms),
        FM: Actor(f"{code}-fm-01", FM, f"{ms} independent monitoring mechanism", ms),
    }
