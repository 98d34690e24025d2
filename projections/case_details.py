"""The one place where a case's typed values (`ledger.case.values` and each phase's `values`)
become JSON-shaped data and come back: the case list's `decisions`, `appeals` and `details`
columns, the timeline's `changes`, and the deadline tracker's snapshot.

The shapes are those the read models have always stored (a sub-state lists only what was
recorded), so rows written before these values were typed read back unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from ledger.case.after_decision.values import Permit, ReturnState
from ledger.case.age_assessment.values import AgeAssessment
from ledger.case.detention.values import Detention
from ledger.case.erasure.values import PersonalDataFacts
from ledger.case.eurodac.values import EurodacHit, EurodacRecord
from ledger.case.monitoring.values import Allegation
from ledger.case.reception.values import Reception
from ledger.case.relocation.values import Relocation
from ledger.case.responsibility.values import Responsibility, TransferAppeal
from ledger.case.safeguards.values import Interpreter, LegalAid, Safeguards
from ledger.case.screening.values import InformationGiven, Representative, ScreeningChecks
from ledger.case.state import CaseState
from ledger.case.values import Appeal, Decision
from ledger.case.withdrawal.values import Withdrawal
from ledger.personal_data.sealed import SealedValue
from projections.encoding import dumps, loads, parse_time

Plain = dict[str, Any]


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind))
    return names


def _field_value(value: Any) -> Any:
    kind = type(value)
    if hasattr(kind, "__dataclass_fields__"):
        return fields_of(value)
    if kind is list or kind is tuple:
        return kind(_field_value(v) for v in value)
    return value


def fields_of(value: Any) -> Plain:
    """A frozen value's fields by name, as `dataclasses.asdict` gives them but without its deep
    copies (the result is only encoded, never kept, and the values are immutable)."""
    return {name: _field_value(getattr(value, name)) for name in _field_names(type(value))}


# --- decisions and appeals (their own columns) ----------------------------------------------
def decisions_json(decisions: list[Decision]) -> str:
    return dumps([fields_of(d) for d in decisions])


def decisions_from_json(text: str) -> list[Decision]:
    return [_decision(d) for d in loads(text)]


def _decision(d: Plain) -> Decision:
    return Decision(**{**d, "occurred_at": _time(d["occurred_at"]),
                       "notified_at": _time(d["notified_at"])})


def appeals_json(appeals: list[Appeal]) -> str:
    return dumps([fields_of(a) for a in appeals])


def appeals_from_json(text: str) -> list[Appeal]:
    return [Appeal(**{**a, "lodged_at": _time(a["lodged_at"])}) for a in loads(text)]


# --- the sub-states ---------------------------------------------------------------------------
def _time(value: str | datetime | None) -> datetime | None:
    """Times come back as text from a row, as datetimes from the deadline tracker's snapshot."""
    return parse_time(value) if isinstance(value, str) else value


def _recorded(pairs: list[tuple[str, Any]]) -> Plain:
    """Only what was recorded: None (and a False that is only ever set to True) left out."""
    return {k: v for k, v in pairs if v is not None and v is not False}


def screening_checks_plain(c: ScreeningChecks) -> Plain:
    return _recorded([("health", c.health), ("vulnerability", c.vulnerability),
                      ("identity", c.identity), ("security", c.security)])


def representative_plain(r: Representative | None) -> Plain | None:
    return None if r is None else {"kind": r.kind, "ref": r.ref}


def eurodac_plain(e: EurodacRecord) -> Plain:
    plain = _recorded([("category", e.category), ("captured", e.captured),
                       ("reference", e.reference), ("transmitted", e.transmitted),
                       ("retention_until", e.retention_until and e.retention_until.isoformat())])
    if e.marked is not None:  # False once unmarked
        plain["marked"] = e.marked
    return plain


def eurodac_from(d: Plain) -> EurodacRecord:
    until = d.get("retention_until")
    return EurodacRecord(category=d.get("category"), captured=bool(d.get("captured")),
                         reference=d.get("reference"), transmitted=bool(d.get("transmitted")),
                         retention_until=date.fromisoformat(until) if until else None,
                         marked=d.get("marked"))


def hit_plain(h: EurodacHit) -> Plain:
    plain: Plain = {"category": h.category, "origin": h.origin, "ref": h.ref}
    if h.received_at is not None:  # hits recorded before issue 11 have none
        plain["received_at"] = h.received_at
    return plain


def hit_from(d: Plain) -> EurodacHit:
    return EurodacHit(category=d["category"], origin=d["origin"], ref=d["ref"],
                      received_at=_time(d.get("received_at")))


def transfer_appeal_plain(a: TransferAppeal | None) -> Plain | None:
    return None if a is None else {"court": a.court, "lodged_at": a.lodged_at,
                                   "suspension": a.suspension, "decided_at": a.decided_at,
                                   "annulled": a.annulled}


def transfer_appeal_from(d: Plain | None) -> TransferAppeal | None:
    if d is None:
        return None
    lodged_at = _time(d["lodged_at"])
    assert lodged_at is not None
    return TransferAppeal(court=d["court"], lodged_at=lodged_at, suspension=d.get("suspension"),
                          decided_at=_time(d.get("decided_at")), annulled=d.get("annulled"))


def responsibility_plain(r: Responsibility) -> Plain:
    plain: Plain = {"state": r.state}
    if r.other is not None or r.requested_at is not None:  # null once refused or contested
        plain["other"] = r.other
    if r.hit_based is not None:  # False is recorded too
        plain["hit_based"] = r.hit_based
    plain.update(_recorded([
        ("criterion", r.criterion), ("requested_at", r.requested_at),
        ("accepted_at", r.accepted_at), ("deemed", r.deemed), ("refused_by", r.refused_by),
        ("contested_by", r.contested_by), ("transfer_decision", r.transfer_decision),
        ("basis", r.basis), ("transfer_decided_at", r.transfer_decided_at),
        ("transfer_appeal", transfer_appeal_plain(r.transfer_appeal)),
        ("limit_from", r.limit_from), ("arrived_from", r.arrived_from)]))
    return plain


def responsibility_from(d: Plain) -> Responsibility:
    return Responsibility(state=d["state"], other=d.get("other"), hit_based=d.get("hit_based"),
                          criterion=d.get("criterion"), requested_at=_time(d.get("requested_at")),
                          accepted_at=_time(d.get("accepted_at")), deemed=bool(d.get("deemed")),
                          refused_by=d.get("refused_by"), contested_by=d.get("contested_by"),
                          transfer_decision=bool(d.get("transfer_decision")),
                          basis=d.get("basis"),
                          transfer_decided_at=_time(d.get("transfer_decided_at")),
                          transfer_appeal=transfer_appeal_from(d.get("transfer_appeal")),
                          limit_from=_time(d.get("limit_from")),
                          arrived_from=d.get("arrived_from"))


def _text_plain(text: str | SealedValue | None) -> str | Plain | None:
    """Free text as stored: sealed text (`ledger.personal_data.free_text`) as its dict."""
    return text.as_dict() if isinstance(text, SealedValue) else text


def _text_from(text: str | Plain | None) -> str | SealedValue | None:
    return SealedValue.from_dict(text) if isinstance(text, dict) else text


def relocation_plain(r: Relocation | None) -> Plain | None:
    if r is None:
        return None
    return {"state": r.state, **_recorded([("member_state", r.member_state),
                                           ("reason", _text_plain(r.reason))])}


def relocation_from(d: Plain | None) -> Relocation | None:
    if d is None:
        return None
    return Relocation(state=d["state"], member_state=d.get("member_state"),
                      reason=_text_from(d.get("reason")))


def personal_data_plain(p: PersonalDataFacts) -> Plain:
    """The shape issue 12 stored: person id, key id and, once erased, when and on which basis
    (`erased_at` as UTC text with microseconds)."""
    plain: Plain = {"person_id": p.person_id, "key_id": p.key_id}
    if p.erased_at is not None:
        plain["erased_at"] = p.erased_at.astimezone(UTC).isoformat(timespec="microseconds")
        plain["erasure_basis"] = p.erasure_basis
    return plain


def personal_data_from(d: Plain) -> PersonalDataFacts:
    erased = d.get("erased_at")
    return PersonalDataFacts(person_id=d["person_id"], key_id=d["key_id"],
                             erased_at=datetime.fromisoformat(erased) if isinstance(erased, str)
                             else erased,
                             erasure_basis=d.get("erasure_basis"))


def return_plain(r: ReturnState) -> Plain:
    return _recorded([("right_to_remain_ended_at", r.right_to_remain_ended_at),
                      ("border_procedure", r.border_procedure),
                      ("voluntary_departure_days", r.voluntary_departure_days),
                      ("returned", r.returned)])


def return_from(d: Plain) -> ReturnState:
    return ReturnState(right_to_remain_ended_at=_time(d.get("right_to_remain_ended_at")),
                       border_procedure=bool(d.get("border_procedure")),
                       voluntary_departure_days=d.get("voluntary_departure_days"),
                       returned=bool(d.get("returned")))


def permit_plain(p: Permit | None) -> Plain | None:
    return None if p is None else {"ref": p.ref, "valid_until": p.valid_until.isoformat()}


def permit_from(d: Plain | None) -> Permit | None:
    return None if d is None else Permit(ref=d["ref"],
                                         valid_until=date.fromisoformat(d["valid_until"]))


def detention_plain(d: Detention | None) -> Plain | None:
    if d is None:
        return None
    return {"ground": d.ground, "ordered_by": d.ordered_by, "order_ref": d.order_ref,
            "started_at": d.started_at, **_recorded([
                ("minor_exception", d.minor_exception),
                ("review_requested_at", d.review_requested_at), ("reviewed_at", d.reviewed_at),
                ("found_lawful", d.found_lawful), ("ended_at", d.ended_at),
                ("release_reason", d.release_reason)])}


def detention_from(d: Plain | None) -> Detention | None:
    if d is None:
        return None
    started = _time(d["started_at"])
    assert started is not None
    return Detention(ground=d["ground"], ordered_by=d["ordered_by"], order_ref=d["order_ref"],
                     started_at=started, minor_exception=bool(d.get("minor_exception")),
                     review_requested_at=_time(d.get("review_requested_at")),
                     reviewed_at=_time(d.get("reviewed_at")), found_lawful=d.get("found_lawful"),
                     ended_at=_time(d.get("ended_at")), release_reason=d.get("release_reason"))


def reception_plain(r: Reception | None) -> Plain | None:
    if r is None:
        return None
    plain: Plain = {"material_conditions": r.material_conditions,
                    "special_needs": list(r.special_needs)}
    plain.update(_recorded([
        ("allocation", r.allocation), ("place", r.place),
        ("residence_ground", r.residence_ground), ("needs_assessed_at", r.needs_assessed_at),
        ("reduction_ground", r.reduction_ground),
        ("reduction_reason", _text_plain(r.reduction_reason)),
        ("labour_market_access_at", r.labour_market_access_at)]))
    return plain


def reception_from(d: Plain | None) -> Reception | None:
    if d is None:
        return None
    return Reception(allocation=d.get("allocation"), place=d.get("place"),
                     residence_ground=d.get("residence_ground"),
                     needs_assessed_at=_time(d.get("needs_assessed_at")),
                     special_needs=tuple(d.get("special_needs", ())),
                     material_conditions=d.get("material_conditions", "FULL"),
                     reduction_ground=d.get("reduction_ground"),
                     reduction_reason=_text_from(d.get("reduction_reason")),
                     labour_market_access_at=_time(d.get("labour_market_access_at")))


def age_assessment_plain(a: AgeAssessment | None) -> Plain | None:
    if a is None:
        return None
    return {"method": a.method, "initiated_at": a.initiated_at, "unaccompanied": a.unaccompanied,
            **_recorded([("result", a.result), ("concluded_at", a.concluded_at)]),
            "earlier_methods": list(a.earlier_methods)}


def age_assessment_from(d: Plain | None) -> AgeAssessment | None:
    if d is None:
        return None
    initiated = _time(d["initiated_at"])
    assert initiated is not None
    return AgeAssessment(method=d["method"], initiated_at=initiated,
                         unaccompanied=bool(d["unaccompanied"]), result=d.get("result"),
                         concluded_at=_time(d.get("concluded_at")),
                         earlier_methods=tuple(d.get("earlier_methods", ())))
# --- issue 11 part 5: safeguards, monitoring, withdrawal (each a tuple of frozen values) ------
def _times(d: Plain, *names: str) -> Plain:
    return {**d, **{n: _time(d.get(n)) for n in names}}


def safeguards_plain(s: Safeguards) -> Plain:
    return _recorded([("informed_at", s.informed_at),
                      ("legal_aid", [fields_of(a) for a in s.legal_aid] or None),
                      ("interpreters", [fields_of(i) for i in s.interpreters] or None)])


def safeguards_from(d: Plain | None) -> Safeguards:
    d = d or {}
    return Safeguards(informed_at=_time(d.get("informed_at")),
                      legal_aid=tuple(LegalAid(**_times(a, "requested_at"))
                                      for a in d.get("legal_aid", ())),
                      interpreters=tuple(Interpreter(**_times(i, "requested_at"))
                                         for i in d.get("interpreters", ())))


def allegations_plain(allegations: tuple[Allegation, ...]) -> list[Plain]:
    return [fields_of(a) for a in allegations]


def allegations_from(items: list[Plain] | None) -> tuple[Allegation, ...]:
    return tuple(Allegation(**_times(a, "received_at", "closed_at")) for a in items or ())


def withdrawal_plain(w: Withdrawal | None) -> Plain | None:
    return None if w is None else fields_of(w)


def withdrawal_from(d: Plain | None) -> Withdrawal | None:
    return None if d is None else Withdrawal(**_times(
        d, "started_at", "informed_at", "observations_at", "decided_at"))


def _flags_plain(s: CaseState) -> Plain:
    """What the `details` column has always kept together under `flags`."""
    flags: Plain = {}
    if s.information_given:
        flags["information"] = [{"topics": list(i.topics), "language": i.language}
                                for i in s.information_given]
    if s.border_mandatory is not None:
        flags["border_mandatory"] = s.border_mandatory
    flags.update(_recorded([("entry_authorised", s.entry_authorised),
                            ("absconded", s.absconded)]))
    return flags


def _set_flags(s: CaseState, flags: Plain) -> None:
    s.information_given = tuple(InformationGiven(topics=tuple(i["topics"]),
                                                 language=i["language"])
                                for i in flags.get("information", ()))
    s.border_mandatory = flags.get("border_mandatory")
    s.entry_authorised = bool(flags.get("entry_authorised"))
    s.absconded = bool(flags.get("absconded"))


#: Each sub-state by its key in the `details` column: encoder and decoder (the others in the
#: column are plain already: counts, lists of strings, `request_to_remain`).
_SUB_STATES: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "screening_checks": (screening_checks_plain, lambda d: ScreeningChecks(**d)),
    "representative": (representative_plain,
                       lambda d: None if d is None else Representative(**d)),
    "eurodac": (eurodac_plain, eurodac_from),
    "hits": (lambda hits: [hit_plain(h) for h in hits],
             lambda hits: tuple(hit_from(h) for h in hits)),
    "responsibility": (responsibility_plain, responsibility_from),
    "relocation": (relocation_plain, relocation_from),
    "return_": (return_plain, return_from),
    "permit": (permit_plain, permit_from),
    "personal_data": (personal_data_plain, personal_data_from),
    "detention": (detention_plain, detention_from),
    "reception": (reception_plain, reception_from),
    "age_assessment": (age_assessment_plain, age_assessment_from),
    "procedure_grounds": (list, tuple),
    "safeguards": (safeguards_plain, safeguards_from),
    "allegations": (allegations_plain, allegations_from),
    "withdrawal": (withdrawal_plain, withdrawal_from),
}

#: The attributes whose values are encoded by their own function (`plain_value`).
SUB_STATE_NAMES = frozenset(_SUB_STATES)

#: Sub-states added after rows were first written (issue 11 part 5), with the value an older
#: row stands for; `claimed_minor` is the `unaccompanied_minor` column in such a row.
_SUB_STATES_ADDED_LATER: dict[str, Any] = {"detention": None, "reception": None,
                                           "age_assessment": None, "procedure_grounds": (),
                                           "safeguards": Safeguards(), "allegations": (),
                                           "withdrawal": None}

_PLAIN_DETAILS = ("vulnerabilities", "interviews", "extensions_days", "extensions_months",
                  "subsequent_applications", "request_to_remain", "claimed_minor")

#: Plain details added after rows were first written, with the value an older row stands for.
_ADDED_LATER: dict[str, Any] = {"extensions_months": 0}

#: The keys of the `details` column, in their stored order (also kept apart in the deadline
#: tracker's snapshot).
DETAIL_KEYS = ("screening_checks", "vulnerabilities", "representative", "eurodac", "hits",
               "responsibility", "relocation", "return_", "interviews", "extensions_days",
               "extensions_months", "subsequent_applications", "permit", "request_to_remain",
               "flags", "personal_data", "detention", "reception", "age_assessment",
               "procedure_grounds", "claimed_minor", "safeguards", "allegations", "withdrawal")

#: State attributes stored under `DETAIL_KEYS`.
DETAIL_ATTRIBUTES = (*_SUB_STATES, *_PLAIN_DETAILS, "information_given", "border_mandatory",
                     "entry_authorised", "absconded")


def details_plain(s: CaseState) -> Plain:
    """The `details` of a state as JSON-shaped data (times still datetimes)."""
    return {key: _flags_plain(s) if key == "flags"
            else _SUB_STATES[key][0](getattr(s, key)) if key in _SUB_STATES
            else getattr(s, key)
            for key in DETAIL_KEYS}


def set_details(s: CaseState, plain: Plain) -> None:
    """Sets the detail attributes of `s` from `details_plain`'s shape."""
    for name, (_, decode) in _SUB_STATES.items():
        if name in plain:
            setattr(s, name, decode(plain[name]))
        elif name in _SUB_STATES_ADDED_LATER:  # a row written before the sub-state existed
            setattr(s, name, _SUB_STATES_ADDED_LATER[name])
    for name in _PLAIN_DETAILS:
        if name in plain:
            setattr(s, name, plain[name])
        elif name in _ADDED_LATER:  # a row written before the attribute existed
            setattr(s, name, _ADDED_LATER[name])
    _set_flags(s, plain.get("flags", {}))


def details_json(s: CaseState) -> str:
    return dumps(details_plain(s))


def set_details_from_json(s: CaseState, text: str) -> None:
    set_details(s, loads(text))


def plain_changes(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """A timeline step's `{attribute: [before, after]}` with the sub-states as JSON-shaped data."""
    return {name: [plain_value(name, v) for v in pair] for name, pair in changes.items()}


def decoded_changes(text: str) -> dict[str, tuple[Any, Any]]:
    """A timeline step's stored changes, `{attribute: (before, after)}`, with each sub-state
    decoded to its typed value (other attributes as stored: codes, numbers, time text)."""
    changes: dict[str, tuple[Any, Any]] = {}
    for name, pair in loads(text).items():
        decode = _SUB_STATES[name][1] if name in _SUB_STATES else None
        before, after = pair
        if decode is not None:
            before = None if before is None else decode(before)
            after = None if after is None else decode(after)
        changes[name] = (before, after)
    return changes


def plain_value(name: str, value: Any) -> Any:
    """One observed attribute's value as a timeline step's changes store it."""
    if value is None:  # before the case was opened
        return None
    if name in _SUB_STATES:
        return _SUB_STATES[name][0](value)
    return value.value if isinstance(value, Enum) else value
