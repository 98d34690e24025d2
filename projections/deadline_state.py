"""A case's deadline tracker as JSON, so the projection resumes across batches and restarts.

Why a snapshot of our own rather than the case-list row: the engine evaluates its conditions and
start moments on a complete `CaseState` (sub-states such as `return_` or `responsibility`
included), which the case list does not keep in full and whose columns belong to another read
model. Storing the tracker's state beside its deadlines keeps this projection independent, and
applying the next event to it gives exactly what replaying the whole stream would.

Values keep their types through JSON with small tags: datetimes keep their UTC offset (calendar
arithmetic on months and working days depends on it), dates and sets come back as such, the
case's decisions and appeals as `ledger.case.values` again, its other sub-states (kept in the
case list's shapes, `projections.case_details`) as their typed values.
`command_ids` is not kept: the engine never reads it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

import orjson

from ledger.case.state import CaseState
from ledger.case.values import Appeal, Decision
from ledger.deadlines.deadline import Deadline
from ledger.deadlines.engine import DeadlineTracker, DerogationsAt
from ledger.deadlines.periods import Counting
from ledger.personal_data.sealed import SealedValue
from ledger.vocabulary import CaseStatus
from projections.by_identity import ByIdentity
from projections.case_details import DETAIL_ATTRIBUTES, DETAIL_KEYS, details_plain, set_details

_SKIPPED = frozenset({"command_ids"})
_DETAILS = frozenset(DETAIL_ATTRIBUTES)
_LEFT_OUT = _SKIPPED | _DETAILS  # (of the state's own attributes)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _enc(value: Any) -> Any:
    # Exact types first (most values): one lookup instead of a chain of isinstance calls;
    # anything else (subclasses included) takes the general path below, in the same order.
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is dict:
        return {str(k): _enc(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_enc(v) for v in value]
    if kind is datetime:
        return {"$dt": value.isoformat()}
    return _enc_general(value)


def _enc_general(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (set, frozenset)):
        return {"$set": sorted(_enc(v) for v in value)}
    if isinstance(value, SealedValue):
        return value.as_dict()  # sealed free text (`ledger.personal_data`): kept as stored
    if isinstance(value, (Decision, Appeal)):
        return _enc(vars(value))  # a plain dict; `load_tracker` makes the value again
    if isinstance(value, (list, tuple)):
        return [_enc(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _enc(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__} in a deadline tracker")


def _dec(value: Any) -> Any:
    if isinstance(value, list):
        return [_dec(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            (tag, inner), = value.items()
            if tag == "$dt":
                return datetime.fromisoformat(inner)
            if tag == "$date":
                return date.fromisoformat(inner)
            if tag == "$set":
                return {_dec(v) for v in inner}
        return {k: _dec(v) for k, v in value.items()}
    return value


def _deadline_fields(deadline: Deadline) -> dict[str, Any]:
    fields = dict(vars(deadline))  # (asdict deep-copies: slow)
    if deadline.counting is not None:
        fields["counting"] = deadline.counting.to_dict()
    return fields


def _deadline(fields: dict[str, Any]) -> Deadline:
    counting = fields.get("counting")
    if counting is not None:
        fields["counting"] = Counting.from_dict(counting)
    return Deadline(**fields)


def _default(value: Any) -> Any:
    """What orjson hands back (times, dates, sets, dataclasses, sealed values): as `_enc`."""
    if type(value) is datetime:  # (most)
        if value.tzinfo is UTC:
            # (orjson writes an exact datetime in UTC as `isoformat` does: "+00:00", no
            # microseconds when 0; in C, under half the cost of formatting it by `%`)
            return orjson.Fragment(b'{"$dt":' + orjson.dumps(value) + b"}")
        return {"$dt": value.isoformat()}
    if isinstance(value, (datetime, date, set, frozenset, SealedValue)):
        return _enc_general(value)
    if isinstance(value, (Decision, Appeal)):
        return vars(value)  # (orjson encodes the dict, handing its values back here as needed)
    raise TypeError(f"cannot keep a {type(value).__name__} in a deadline tracker")


_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


#: Made once per object (`projections.by_identity`): countings are shared by many deadlines.
#: A counting's JSON text goes into the tracker's as it is (`orjson.Fragment`): the same bytes as
#: encoding its dict there. (Kept as str: the bytes `orjson.dumps` returns keep its whole output
#: buffer, several kB each.)
def _counting_text(counting: Counting) -> str:
    """`orjson.dumps(counting.to_dict())` from the counting's own attributes: in the same order
    (its fields'), its dates written by orjson as `isoformat` writes them and its tuples as
    lists; only the skipped days take another shape (lists, not their fields by name). About
    a third of building `to_dict`'s dict (the date texts, a closure per call) and encoding it."""
    if type(counting) is not Counting:
        return orjson.dumps(counting.to_dict()).decode()
    fields = vars(counting)
    if counting.skipped:
        fields = {**fields, "skipped": [[s.day.isoformat(), s.reason, s.why]
                                        for s in counting.skipped]}
    return orjson.dumps(fields).decode()


counting_text: ByIdentity[Counting, str] = ByIdentity(_counting_text)
"""A counting's JSON text (the deadline row's `counting` column holds the same text)."""
_counting_json: ByIdentity[Counting, orjson.Fragment] = ByIdentity(
    lambda counting: orjson.Fragment(counting_text(counting)))


def _deadline_data(deadline: Deadline) -> dict[str, Any]:
    fields = dict(vars(deadline))  # (asdict deep-copies: slow)
    if deadline.counting is not None:
        fields["counting"] = _counting_json(deadline.counting)
    return fields


def _state_data(tracker: DeadlineTracker) -> dict[str, Any]:
    state = tracker.state
    return {} if state is None else {
        **{k: v for k, v in vars(state).items() if k not in _LEFT_OUT},
        **details_plain(state)}  # the sub-states in the case list's shapes


def dump_tracker(tracker: DeadlineTracker) -> str:
    state = _state_data(tracker)
    try:
        # orjson walks the plain values itself (the bulk) and asks `_default` for the rest:
        # the same text as encoding every value with `_enc` first, at a fraction of the cost.
        return orjson.dumps({"state": state,
                             "deadlines": [_deadline_data(d) for d in tracker.deadlines]},
                            default=_default, option=_OPTIONS).decode()
    except TypeError:  # (a key that is not a string: `_enc` makes it one)
        return orjson.dumps({"state": _enc(state), "deadlines": [
            _enc(_deadline_fields(d)) for d in tracker.deadlines]}).decode()


def forget_texts() -> None:
    """Drop the texts kept for this batch (`projections.by_identity`)."""
    _counting_json.forget()
    counting_text.forget()


def load_tracker(text: str, derogations_at: DerogationsAt) -> DeadlineTracker:
    data = orjson.loads(text)
    state: CaseState | None = None
    if data["state"]:
        state = CaseState()
        attributes = _dec(data["state"])
        details = {k: attributes.pop(k) for k in DETAIL_KEYS if k in attributes}
        claimed = attributes.pop("unaccompanied_minor", None)  # a snapshot from before it was
        if claimed is not None and "claimed_minor" not in details:  # derived (issue 11)
            details["claimed_minor"] = claimed
        attributes["decisions"] = [Decision(**d) for d in attributes["decisions"]]
        attributes["appeals"] = [Appeal(**a) for a in attributes["appeals"]]
        vars(state).update(attributes)  # (in the stored order: the next snapshot keeps it)
        set_details(state, details)
        state.status = CaseStatus(state.status)
        state.command_ids = set()
    deadlines = [_deadline(_dec(d)) for d in data["deadlines"]]
    return DeadlineTracker(derogations_at, state=state, deadlines=deadlines)
