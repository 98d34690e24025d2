"""Synthetic demo data that follows the Pact's flows, recorded through the ledger itself.

`demo_script` plans made-up cases: screening at the external border or within the territory
(Screening Regulation Arts 5, 7, 18), access to the procedure (APR Arts 26-28), examination under
the admissibility, accelerated, border or regular procedure (APR Arts 35-51), decisions with a
joint return decision on rejection (APR Art 37), appeals (APR Arts 67-68) and closure. Cases begin
at different times before `now`, so some are still open at every stage.

Everything is synthetic: family names are placeholder names (Doe, Mustermann, ...). The script
is deterministic for a seed and `now`, and command ids are stable, so seeding again records
nothing new.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import NAMESPACE_URL, UUID, uuid5

from ledger.case import Case
from ledger.commands import (
    AssignProcedure,
    CaseCommand,
    CloseCase,
    CommandMeta,
    CompleteScreening,
    DecideAppeal,
    IssueDecision,
    IssueReturnDecision,
    LodgeAppeal,
    LodgeApplication,
    MakeApplication,
    Person,
    RegisterApplication,
    StartScreening,
)
from ledger.envelope import Actor
from ledger.errors import LedgerError
from ledger.vocabulary import AppealOutcome as A
from ledger.vocabulary import ClosureReason as C
from ledger.vocabulary import DecisionType as D
from ledger.vocabulary import Procedure as P
from ledger.vocabulary import ScreeningOutcome, ScreeningTrigger

if TYPE_CHECKING:
    from pact_ledger.wiring import Container

_NAMESPACE = uuid5(NAMESPACE_URL, "https://pact-ledger.eu/demo")
WINDOW_DAYS = 450  # cases open within this many days before `now`, more of them recently
SO, CW, DM, AB = "SCREENING_OFFICER", "CASE_WORKER", "DECISION_MAKER", "APPEAL_BODY"


@dataclass(frozen=True)
class _State:
    """A member state's share of cases, its authorities and where people arrive or apply."""

    weight: int
    region: str  # which mix of nationalities arrives
    police: str  # screens
    asylum: str  # registers, examines, decides; also issues return decisions
    courts: tuple[str, ...]
    airport: str
    inland: tuple[str, ...]  # where people apply or are found within the territory
    sea: tuple[str, ...] = ()  # disembarkation points (search and rescue)
    land: tuple[str, ...] = ()  # external land border


def _s(weight: int, region: str, police: str, asylum: str, courts: str, airport: str,
       inland: str, sea: str = "", land: str = "") -> _State:
    """A `_State` from `;`-separated lists."""
    def items(text: str) -> tuple[str, ...]:
        return tuple(part.strip() for part in text.split(";") if part.strip())
    return _State(weight, region, police, asylum, items(courts), airport, items(inland),
                  items(sea), items(land))


_STATES = {
    "IT": _s(17, "cmed", "Polizia di Stato", "Ministry of the Interior",
             "Tribunale di Catania; Tribunale di Palermo; Tribunale di Roma",
             "Rome Fiumicino airport", "Questura di Roma; Questura di Milano",
             sea="Lampedusa hotspot; Pozzallo hotspot; Port of Reggio Calabria",
             land="Trieste, border with Slovenia"),
    "EL": _s(14, "emed", "Hellenic Police", "Asylum Service",
             "Appeals Authority Athens; Appeals Authority Piraeus", "Athens airport",
             "Regional Asylum Office Attica",
             sea="Lesvos CCAC; Samos CCAC; Kos CCAC; Agyia, Crete", land="Fylakio RIC, Evros"),
    "ES": _s(13, "wmed", "Policia Nacional", "Oficina de Asilo y Refugio",
             "Audiencia Nacional; Tribunal Superior de Justicia de Canarias",
             "Madrid-Barajas airport", "OAR Madrid; Comisaria Barcelona",
             sea="Arguineguin, Gran Canaria; La Restinga, El Hierro; Port of Almeria",
             land="Ceuta; Melilla"),
    "CY": _s(5, "emed", "Cyprus Police", "Asylum Service",
             "International Protection Administrative Court", "Larnaca airport",
             "Asylum Service Nicosia", sea="Port of Larnaca", land="Green Line, Nicosia"),
    "MT": _s(3, "cmed", "Malta Police Force", "International Protection Agency",
             "International Protection Appeals Tribunal", "Malta International Airport",
             "IPA Marsa", sea="Boiler Wharf, Senglea"),
    "BG": _s(5, "land", "Border Police", "State Agency for Refugees",
             "Administrative Court Sofia City; Administrative Court Haskovo", "Sofia airport",
             "Ovcha Kupel, Sofia", land="Elhovo; Kapitan Andreevo"),
    "HR": _s(4, "land", "Border Police", "Ministry of the Interior",
             "Administrative Court Zagreb", "Zagreb airport", "Porin, Zagreb",
             land="Bajakovo; Cetingrad"),
    "PL": _s(2, "land", "Border Guard", "Office for Foreigners", "Refugee Board",
             "Warsaw Chopin airport", "Office for Foreigners Warsaw",
             land="Podlaskie, border with Belarus"),
    "LT": _s(1, "land", "State Border Guard Service", "Migration Department",
             "Vilnius Regional Administrative Court", "Vilnius airport",
             "Pabrade Registration Centre", land="Medininkai"),
    "DE": _s(12, "inland", "Bundespolizei", "BAMF",
             "Verwaltungsgericht Berlin; Verwaltungsgericht Muenchen", "Frankfurt airport",
             "BAMF Ankunftszentrum Berlin; BAMF Ankunftszentrum Giessen; "
             "BAMF Ankunftszentrum Bramsche"),
    "FR": _s(8, "inland", "Police aux frontieres", "OFPRA", "Cour nationale du droit d'asile",
             "Paris-Charles de Gaulle airport", "GUDA Paris; GUDA Lyon; GUDA Marseille"),
    "NL": _s(4, "inland", "Koninklijke Marechaussee", "IND",
             "Rechtbank Den Haag; Rechtbank Amsterdam", "Schiphol airport",
             "Ter Apel application centre"),
    "BE": _s(3, "inland", "Federal Police", "CGRS", "Council for Alien Law Litigation",
             "Brussels airport", "Petit-Chateau, Brussels"),
    "AT": _s(3, "inland", "Federal Police", "BFA", "Bundesverwaltungsgericht", "Vienna airport",
             "Traiskirchen"),
    "SE": _s(2, "inland", "Polisen", "Migrationsverket",
             "Migration Court Stockholm; Migration Court Malmo", "Stockholm Arlanda airport",
             "Migrationsverket Marsta"),
    "IE": _s(1, "inland", "Garda National Immigration Bureau", "International Protection Office",
             "International Protection Appeals Tribunal", "Dublin airport", "IPO Dublin"),
    "PT": _s(1, "inland", "Policia de Seguranca Publica", "AIMA",
             "Tribunal Administrativo de Lisboa", "Lisbon airport", "AIMA Lisboa"),
}
_STATE_WEIGHTS = {code: st.weight for code, st in _STATES.items()}


def _weights(spec: str) -> dict[str, int]:
    return {code: int(w) for code, w in (item.split(":") for item in spec.split())}


_NATIONALITIES = {  # nationality weights by arrival region (XX: stateless or unknown)
    "cmed": _weights("BD:16 TN:12 EG:12 SY:10 ER:8 PK:8 GN:6 CI:6 SD:6 ML:4 MA:4 NG:4 SO:2 AF:2"),
    "emed": _weights("AF:18 SY:18 EG:10 PK:8 SO:8 SD:6 IQ:6 TR:6 PS:5 ER:4 CD:4 BD:4 XX:3"),
    "wmed": _weights("MA:14 ML:14 CO:14 SN:12 VE:12 DZ:8 GM:6 MR:6 PE:5 GN:4 SY:3 UA:2"),
    "land": _weights("AF:20 SY:18 MA:8 TR:8 PK:8 IQ:8 BD:6 IN:4 ER:4 RU:4 BY:3 SO:3 NG:3"),
    "inland": _weights("SY:14 AF:14 TR:12 IQ:8 ER:6 SO:6 GE:6 CO:6 NG:6 VE:4 BD:4 PK:4 IR:4 "
                       "RU:4 CD:4 CI:4 GN:4 UA:2 XX:2"),
}
#: EU-wide first-instance recognition at or below 20% (APR Arts 42(1)(j), 45(1)(c)).
LOW_RECOGNITION = frozenset("BD PK EG TN MA GE CO DZ IN SN PE".split())
_GRANT_RATE = {"SY": .8, "AF": .65, "ER": .85, "SO": .7, "SD": .75, "ML": .5, "UA": .85,
               "PS": .75, "XX": .65, "BY": .6, "IR": .45, "RU": .4, "IQ": .3, "CD": .3,
               "GN": .25, "TR": .25, "CI": .2, "MR": .2, "GM": .15, "NG": .12, "VE": .08}
_CONFLICT = frozenset("SY AF SO SD ML UA IQ".split())  # subsidiary protection more often
_GIVEN = ("Amina Yusuf Fatima Samir Mariam Omar Lina Karim Ahmad Nour Ibrahim Zainab Musa Aisha "
          "Tesfay Abdi Hawa Juan Maria Giorgi Nino Rahim Salma Moussa Awa").split()
_FAMILY = ("Doe Roe Bloggs Mustermann Musterfrau Exemplar Esempio Ejemplo Placeholder Sample "
           "Specimen Testperson").split()
_GROUNDS = {
    D.REFUGEE_STATUS: "Well-founded fear of persecution (QR Arts 9-10)",
    D.SUBSIDIARY_PROTECTION: "Real risk of serious harm (QR Art 15)",
    D.UNFOUNDED: "No well-founded fear or real risk established (APR Art 39(2))",
    D.MANIFESTLY_UNFOUNDED: "Safe country of origin; only irrelevant issues raised (APR Art 39(3))",
    D.IMPLICITLY_WITHDRAWN: "Did not lodge the application without good cause (APR Art 41(1))",
    D.EXPLICITLY_WITHDRAWN: "The applicant withdrew the application (APR Art 40)",
}
_INADMISSIBLE = ("Safe third country (APR Art 38(1)(b))",
                 "First country of asylum (APR Art 38(1)(a))",
                 "Subsequent application without new elements (APR Art 38(1)(d))")
_EXAM_DAYS: dict[str, Callable[[random.Random], float]] = {  # lodging to decision (APR Art 35)
    P.BORDER.value: lambda rng: rng.uniform(12, 40),
    P.ADMISSIBILITY.value: lambda rng: rng.uniform(15, 55),
    P.ACCELERATED.value: lambda rng: (
        rng.uniform(20, 85) if rng.random() < 0.9 else rng.uniform(92, 130)),
    P.REGULAR.value: lambda rng: (
        rng.uniform(45, 180) if rng.random() < 0.85 else rng.uniform(180, 300)),
}
_APPEAL_DAYS = {P.BORDER.value: (7, 25), P.REGULAR.value: (60, 270)}  # others: 20-90 days


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _office_hours(t: datetime) -> datetime:
    """`t`, or the next working-day time from 08:00 UTC when `t` is outside office hours."""
    if t.hour >= 18:
        t += timedelta(days=1)
    if not 8 <= t.hour < 18:
        t = t.replace(hour=8 + t.hour % 8)
    while t.weekday() >= 5:
        t += timedelta(days=1)
    return t


@dataclass
class _Case:
    """One case being planned: who it is about, who handles it, and its steps so far."""

    rng: random.Random
    ms: str
    ref: str
    nationality: str
    minor: bool
    t: datetime  # time of the last step planned
    staff: dict[str, Actor]
    made: datetime | None = None  # when the application was made
    steps: list[tuple[datetime, CaseCommand, Actor]] = field(default_factory=list)

    @property
    def id(self) -> UUID:
        return Case.create_id(self.ms, self.ref)

    @property
    def at_external_border(self) -> bool:
        return bool(_STATES[self.ms].sea or _STATES[self.ms].land)

    def step(self, days: float, command: CaseCommand, role: str, office: bool = True) -> None:
        """Plan `command` `days` after the last step (in office hours unless `office` is off)."""
        t = self.t + timedelta(days=days)
        self.at(_office_hours(t) if office else t, command, role)

    def at(self, t: datetime, command: CaseCommand, role: str) -> None:
        self.t = t
        self.steps.append((t, command, self.staff[role]))

    def wait_until(self, t: datetime) -> None:
        self.t = max(self.t, t)


def _staff(rng: random.Random, ms: str, st: _State) -> dict[str, Actor]:
    """The officers of one case: the same case worker and decision maker throughout."""
    court = rng.randrange(len(st.courts))
    code = ms.lower()
    return {
        SO: Actor(f"{code}-so-{rng.randint(1, 20):02d}", SO, f"{ms} {st.police}", ms),
        CW: Actor(f"{code}-cw-{rng.randint(1, 12):02d}", CW, f"{ms} {st.asylum}", ms),
        DM: Actor(f"{code}-dm-{rng.randint(1, 6):02d}", DM, f"{ms} {st.asylum}", ms),
        AB: Actor(f"{code}-ab-{court + 1:02d}", AB, st.courts[court], ms),
    }


def _person(rng: random.Random, nationality: str, now: datetime) -> Person:
    """An adult, or (one in twenty) an unaccompanied minor aged 15 to 17 at `now`."""
    minor = rng.random() < 0.05
    age = rng.randint(15, 17) if minor else int(rng.triangular(18, 60, 26))
    born = now.date() - timedelta(days=int(age * 365.25) + rng.randint(1, 360))
    unknown = not minor and rng.random() < 0.03
    return Person(nationality, None if unknown else born, minor, rng.choice(_FAMILY),
                  rng.choice(_GIVEN))


def _entry(rng: random.Random, st: _State) -> tuple[str | None, str]:
    """Screening trigger and place; no trigger when the person applies inland unscreened."""
    r = rng.random()
    if st.sea or st.land:
        if st.sea and r < 0.5:
            return ScreeningTrigger.SEARCH_AND_RESCUE.value, rng.choice(st.sea)
        if r < 0.78:
            return ScreeningTrigger.IRREGULAR_CROSSING.value, rng.choice(st.land or st.sea)
        r = (r - 0.78) / 0.22 * 0.5  # the rest: airport, inland screening or direct
    if r < 0.06:
        return ScreeningTrigger.BORDER_CROSSING_POINT_APPLICATION.value, st.airport
    if r < 0.4:
        return ScreeningTrigger.WITHIN_TERRITORY.value, rng.choice(st.inland)
    return None, rng.choice(st.inland)


def _screen(case: _Case, person: Person, trigger: str, place: str) -> bool:
    """Screening (Art 18); False when the person does not apply and is referred to return."""
    rng = case.rng
    case.step(0, StartScreening(case.ms, case.ref, person, trigger, place), SO, office=False)
    limit = 3 if trigger == ScreeningTrigger.WITHIN_TERRITORY.value else 7  # Art 8(3)-(4)
    overrun = rng.random() < 0.05
    length = rng.uniform(limit, limit + 5) if overrun else rng.uniform(0.3, min(limit, 4))
    form = case.ref.replace("-", "-SF-", 1)
    checks = ("HEALTH", "IDENTITY", "SECURITY", "VULNERABILITY")
    incomplete = (rng.choice(checks),) if rng.random() < 0.08 else ()  # Art 18(5)
    if rng.random() < (0.15 if case.nationality in LOW_RECOGNITION else 0.04):
        outcome = ScreeningOutcome.REFER_TO_RETURN.value
        case.step(length, CompleteScreening(case.id, outcome, form, incomplete), SO, office=False)
        case.step(rng.uniform(0.5, 4), IssueReturnDecision(case.id, _departure(rng, None)), DM)
        if rng.random() < 0.4:
            case.step(rng.uniform(10, 90), CloseCase(case.id, C.RETURNED.value), CW)
        return False
    made = rng.uniform(0.02, min(length, 2))
    case.step(made, MakeApplication(case.ms, case.ref, place), SO, office=False)
    case.made = case.t
    outcome = ScreeningOutcome.REFER_TO_REGISTRATION.value
    case.step(length - made, CompleteScreening(case.id, outcome, form, incomplete), SO,
              office=False)
    return True


def _procedure(case: _Case, trigger: str | None) -> tuple[str, tuple[str, ...]]:
    rng, low = case.rng, case.nationality in LOW_RECOGNITION
    at_border = trigger not in (None, ScreeningTrigger.WITHIN_TERRITORY.value)
    if rng.random() < 0.06:
        return P.ADMISSIBILITY.value, (rng.choice(_INADMISSIBLE),)
    if low and at_border and not case.minor and rng.random() < 0.75:  # APR Arts 45(1), 53
        return P.BORDER.value, ("Recognition rate of 20% or lower (APR Art 45(1)(c))",)
    if low and rng.random() < 0.7:
        return P.ACCELERATED.value, ("Recognition rate of 20% or lower (APR Art 42(1)(j))",)
    if rng.random() < 0.07:
        return P.ACCELERATED.value, ("Only issues not relevant to protection (APR Art 42(1)(a))",)
    return P.REGULAR.value, ()


def _departure(rng: random.Random, procedure: str | None) -> int | None:
    """Days for voluntary departure, or None (risk of absconding)."""
    if rng.random() < 0.15:
        return None
    return rng.choice((7, 10, 15) if procedure == P.BORDER.value else (7, 14, 21, 30))


def _access(case: _Case, trigger: str | None) -> None:
    """Registration (APR Art 27), lodging (Art 28) and the procedure; or implicit withdrawal."""
    rng = case.rng
    assert case.made is not None
    late = rng.random() < 0.06
    due = case.made + timedelta(days=rng.uniform(6, 20) if late else rng.uniform(0.2, 3.5))
    registered = _office_hours(max(due, case.t + timedelta(hours=2)))
    case.at(registered, RegisterApplication(case.id), CW)
    if rng.random() < (0.09 if case.at_external_border else 0.04):  # moved on (Art 41(1))
        kind = D.IMPLICITLY_WITHDRAWN
        _after_rejection(case, None, _issue(case, rng.uniform(22, 60), kind.value, _GROUNDS[kind]),
                         remit=False)
        return
    procedure, grounds = _procedure(case, trigger)
    lodging = rng.uniform(22, 40) if rng.random() < 0.08 else rng.uniform(1, 18)
    if procedure == P.BORDER.value:  # runs from registration (APR Art 51(2))
        case.step(rng.uniform(0, 1), AssignProcedure(case.id, procedure, grounds), CW)
        case.step(rng.uniform(1, 5), LodgeApplication(case.id), CW)
    else:
        case.step(lodging, LodgeApplication(case.id), CW)
        case.step(rng.uniform(0, 7), AssignProcedure(case.id, procedure, grounds), CW)
    _decide(case, procedure, _EXAM_DAYS[procedure](rng), remit=True)


def _issue(case: _Case, days: float, kind: str, ground: str) -> datetime:
    """Plan a decision; returns when it is notified (the same day or a few days later)."""
    t = _office_hours(case.t + timedelta(days=days))
    later = _office_hours(t + timedelta(days=case.rng.uniform(0.5, 6)))
    notified = t if case.rng.random() < 0.4 else later
    case.at(t, IssueDecision(case.id, kind, ground, notified), DM)
    return notified


def _decide(case: _Case, procedure: str, days: float, remit: bool) -> None:
    """A first-instance decision and what follows; `remit` allows a remittal on appeal (once)."""
    rng = case.rng
    if rng.random() < 0.03:
        kind = D.EXPLICITLY_WITHDRAWN
        case.wait_until(_issue(case, days, kind.value, _GROUNDS[kind]))
        if rng.random() < 0.8:
            case.step(rng.uniform(1, 10), CloseCase(case.id, C.WITHDRAWN.value), CW)
        return
    if procedure == P.ADMISSIBILITY.value and remit:  # after a remittal: on the merits
        notified = _issue(case, days, D.INADMISSIBLE.value, rng.choice(_INADMISSIBLE))
        _after_rejection(case, procedure, notified, remit)
        return
    low = case.nationality in LOW_RECOGNITION
    rate = _GRANT_RATE.get(case.nationality, 0.04 if low else 0.15) + (0 if remit else 0.3)
    if rng.random() < rate:
        subsidiary = rng.random() < (0.45 if case.nationality in _CONFLICT else 0.15)
        kind = D.SUBSIDIARY_PROTECTION if subsidiary else D.REFUGEE_STATUS
        _after_grant(case, kind, _issue(case, days, kind.value, _GROUNDS[kind]))
        return
    fast = procedure in (P.BORDER.value, P.ACCELERATED.value)
    kind = D.MANIFESTLY_UNFOUNDED if rng.random() < (0.6 if fast else 0.15) else D.UNFOUNDED
    _after_rejection(case, procedure, _issue(case, days, kind.value, _GROUNDS[kind]), remit)


def _after_grant(case: _Case, kind: D, notified: datetime) -> None:
    """Perhaps an appeal for refugee status (APR Art 67(1)); mostly closure with protection."""
    rng = case.rng
    case.wait_until(notified)
    if kind is D.SUBSIDIARY_PROTECTION and rng.random() < 0.1:
        case.step(rng.uniform(5, 28), LodgeAppeal(case.id, case.staff[AB].authority), AB)
        if rng.random() < 0.2:
            decided = DecideAppeal(case.id, A.OVERTURNED.value, D.REFUGEE_STATUS.value)
        else:
            decided = DecideAppeal(case.id, A.UPHELD.value)
        case.step(rng.uniform(60, 270), decided, AB)
    if rng.random() < 0.8:
        case.step(rng.uniform(10, 60), CloseCase(case.id, C.PROTECTION_GRANTED.value), CW)


def _after_rejection(case: _Case, procedure: str | None, notified: datetime, remit: bool) -> None:
    """Joint return decision (APR Art 37), perhaps an appeal (Arts 67-68), perhaps departure.

    `procedure` is None for an implicit withdrawal before lodging.
    """
    rng = case.rng
    case.step(0.01, IssueReturnDecision(case.id, _departure(rng, procedure)), DM, office=False)
    case.wait_until(notified)
    fast = procedure != P.REGULAR.value
    if rng.random() < (0.5 if fast else 0.65):
        suspensive = not fast or (case.minor and procedure == P.BORDER.value)  # Art 68(3)
        lodged = LodgeAppeal(case.id, case.staff[AB].authority, suspensive)
        case.step(rng.uniform(1, 9) if fast else rng.uniform(5, 28), lodged, AB)
        days = rng.uniform(*_APPEAL_DAYS.get(procedure or "", (20, 90)))
        r = rng.random() if procedure is not None else 0.0  # implicit withdrawals: upheld
        if r > 0.87 and remit:
            case.step(days, DecideAppeal(case.id, A.REMITTED.value), AB)
            _decide(case, procedure or P.REGULAR.value, rng.uniform(30, 120), remit=False)
            return
        if r > 0.75:
            outcome, substituted = A.OVERTURNED.value, D.SUBSIDIARY_PROTECTION.value
            case.step(days, DecideAppeal(case.id, outcome, substituted), AB)
            if rng.random() < 0.7:
                case.step(rng.uniform(14, 60), CloseCase(case.id, C.PROTECTION_GRANTED.value), CW)
            return
        case.step(days, DecideAppeal(case.id, A.UPHELD.value), AB)
    if rng.random() < 0.35:
        case.step(rng.uniform(20, 120), CloseCase(case.id, C.RETURNED.value), CW)
    elif procedure is None and rng.random() < 0.4:
        case.step(rng.uniform(20, 90), CloseCase(case.id, C.WITHDRAWN.value), CW)


def _plan(rng: random.Random, now: datetime, numbers: Counter[tuple[str, int]]) -> _Case:
    """One case from arrival (or application) on; steps may run past `now`."""
    ms = _pick(rng, _STATE_WEIGHTS)
    st = _STATES[ms]
    nationality = _pick(rng, _NATIONALITIES[st.region])
    person = _person(rng, nationality, now)
    trigger, place = _entry(rng, st)
    recent = rng.random() < 0.02  # the last few days' arrivals, still in screening
    ago = rng.uniform(0, 3) if recent else WINDOW_DAYS * rng.random() ** 1.1
    start = now - timedelta(days=ago)
    if trigger is None:  # applications are made at an office, in office hours
        start = _office_hours(start)
        start -= timedelta(days=7) if start > now else timedelta(0)
    numbers[(ms, start.year)] += 1
    ref = f"{ms}-{start.year}-{numbers[(ms, start.year)]:06d}"
    case = _Case(rng, ms, ref, nationality, person.unaccompanied_minor, start, _staff(rng, ms, st))
    if trigger is None:
        case.step(0, MakeApplication(ms, ref, place, person), CW)
        case.made = case.t
    elif not _screen(case, person, trigger, place):
        return case
    _access(case, trigger)
    return case


def demo_script(cases: int, seed: int, now: datetime) -> Iterator[tuple[CaseCommand, CommandMeta]]:
    """Commands for `cases` synthetic cases, in the order they happened (cases interleave).

    Steps planned after `now` (or decisions notified after it) are left out, so recent cases stay
    open. Command ids derive from the seed, the case number and the step number; the first `n`
    cases are the same whatever `cases` is.
    """
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    numbers: Counter[tuple[str, int]] = Counter()
    planned = []
    for no in range(1, cases + 1):
        case = _plan(random.Random(f"pact-ledger-demo:{seed}:{no}"), now, numbers)
        for step_no, (t, command, actor) in enumerate(case.steps):
            if t > now or (isinstance(command, IssueDecision) and command.notified_at
                           and command.notified_at > now):
                break
            planned.append((t, no, step_no, command, actor))
    planned.sort(key=lambda p: p[:3])
    previous: dict[int, str] = {}
    for t, no, step_no, command, actor in planned:
        command_id = str(uuid5(_NAMESPACE, f"{seed}/{no}/{step_no}"))
        yield command, CommandMeta(
            actor=actor,
            occurred_at=t,
            command_id=command_id,
            correlation_id=str(uuid5(_NAMESPACE, f"{seed}/{no}")),
            causation_id=previous.get(no, command_id),
        )
        previous[no] = command_id


@dataclass(frozen=True)
class DemoResult:
    cases: int
    commands: int
    events: int  # newly recorded (a re-run records none)
    replayed: int  # commands an earlier run had already recorded
    refused: int  # a refusal is a bug in the generator
    errors: tuple[str, ...]  # the first few refusals
    projected: int  # events the read models caught up with


def seed_demo(
    container: Container,
    cases: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
    now: datetime | None = None,
) -> DemoResult:
    """Record the demo script through the ledger, then bring the read models up to date.

    `progress(commands done, commands in all)` is called every 250 commands and at the end.
    """
    script = list(demo_script(cases, seed, now or datetime.now(UTC)))
    events = replayed = refused = 0
    errors: list[str] = []
    for done, (command, meta) in enumerate(script, 1):
        try:
            outcome = container.ledger.handle(command, meta)
        except LedgerError as e:
            refused += 1
            if len(errors) < 10:
                target = getattr(command, "case_id", getattr(command, "national_reference", ""))
                errors.append(f"{type(command).__name__} on {target} at "
                              f"{meta.occurred_at:%Y-%m-%d %H:%M}: {e.code}: {e}")
        else:
            events += len(outcome.positions)
            replayed += outcome.replayed
        if progress is not None and (done % 250 == 0 or done == len(script)):
            progress(done, len(script))
    projected = container.runner.catch_up()
    return DemoResult(cases, len(script), events, replayed, refused, tuple(errors), projected)


def is_empty(container: Container) -> bool:
    """True when the ledger has recorded no events at all."""
    return not container.ledger.recorder.max_notification_id()
