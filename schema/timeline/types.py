"""One recorded event with its full envelope, as the timeline, a mutation's result and the
solidarity ledger show it. Built from a timeline-shaped row, the global id and evidence
references only when first read; the payload is resolved through the personal-data gate."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from projections.db import Row
from projections.encoding import loads, parse_time
from projections.exports import without_ciphertext
from projections.personal_data import payload_shown
from schema.context import Context
from schema.envelope import Actor, LegalBasis
from schema.execution import NEEDS_INFO, short_path
from schema.global_ids import EVENT, Node, global_id
from schema.personal import NOT_AHEAD, needs_gate, path_of, selected
from schema.timeline.changes import CaseChanges, case_changes
from schema.timeline.details import BUILDERS, DetailsType, EventDetails
from schema.times import offset_times


@strawberry.type(description="One recorded event of a case, with its full envelope.")
class TimelineEvent(Node):
    position: int = strawberry.field(description="Position in the ledger's global order.")
    case_id: strawberry.ID
    version: int = strawberry.field(description="Position in the case's own stream (from 1).")
    type: str
    topic: str = strawberry.field(description="Stable stored topic of the event class.")
    occurred_at: datetime = strawberry.field(description="Legal time, stated by the caller.")
    recorded_at: datetime = strawberry.field(description="When the ledger recorded it.")
    actor: Actor
    legal_basis: list[LegalBasis]
    command_id: str
    correlation_id: str
    causation_id: str
    evidence_refs: list[str]
    recorded_late: bool = strawberry.field(
        description="Recorded more than 24 h after it legally occurred (accepted, marked).")
    _payload: strawberry.Private[dict[str, Any]]
    phase: str = strawberry.field(default="OTHER", description=(
        "Phase of the procedure: SCREENING, EURODAC, ACCESS, RESPONSIBILITY, EXAMINATION, "
        "REMEDIES, AFTER_DECISION, RELOCATION, ERASURE, DETENTION, RECEPTION, AGE_ASSESSMENT, "
        "SAFEGUARDS, MONITORING or WITHDRAWAL "
        "(RESETTLEMENT for admission files; OTHER outside cases)."))
    _changes: strawberry.Private[Any] = None  # the stored JSON, decoded when asked for
    #: The payload has been through the personal-data gate already (a subject-access report's
    #: events, opened for the data subject's request): shown as it is.
    _opened: strawberry.Private[bool] = False
    #: The row an event built by `timeline_event` decodes its other fields from (`_DECODED`).
    _row: strawberry.Private[Any] = None
    #: The details opened ahead with the timeline that read this event (their access logged
    #: then, at this event's `details` path: `schema.personal.details_ahead`).
    _details: strawberry.Private[Any] = None

    @strawberry.field(description="What the step changed in its case, typed: each attribute that "
                                  "changed, before and after (null: unchanged). Null for steps "
                                  "outside cases (solidarity, admission files).")
    def state_changes(self) -> CaseChanges | None:  # type: ignore[valid-type]
        return None if self._changes is None else case_changes(self._changes)

    @strawberry.field(
        description="What the step changed in the case: {attribute: [before, after]}.",
        deprecation_reason="Read `stateChanges` (typed, before and after).")
    def changes(self) -> JSON:
        # a sealed free text in a sub-state (a relocation's reason): null here, the ciphertext
        # never leaves (issue 12); the payload opens it for roles that may read it
        if self._changes is None:
            return {}  # type: ignore[return-value]
        return offset_times(without_ciphertext(loads(self._changes)))  # type: ignore[return-value]

    @strawberry.field(description="The step's own fields, typed: one object type per event type "
                                  "(`<type>Details`). Personal data in them (names, date of "
                                  "birth, sealed free text) are null for roles that may not see "
                                  "personal data; they are opened, and the read recorded in the "
                                  "access log, only when one of them is selected.")
    @short_path(lambda event: event._plain_details())
    def details(self, info: Info[Context, None]) -> EventDetails:
        # Synchronous unless the payload holds personal data (as `payload`): one dict lookup
        # for the type and one constructor call per event on the hot read path, answered
        # without an info (`_plain_details`).
        plain = self._plain_details()
        if plain is not NEEDS_INFO:
            return plain  # type: ignore[no-any-return]
        built = BUILDERS[self.type]
        names = set(selected(info))
        if not built.sealed.intersection(names) and "personalData" not in names:
            # nothing personal and no status asked for: sealed values null, nothing read
            return built.build(self.type, payload_shown(  # type: ignore[no-any-return]
                self._payload, None, {}))
        return self._gated_details(info, built, names)  # type: ignore[return-value]

    def _plain_details(self) -> Any:
        """The details of an event without personal data (or opened already), else
        `NEEDS_INFO`: the gate needs the selection and the path."""
        if self._opened or not needs_gate(self._payload):
            return BUILDERS[self.type].build(self.type, self._payload)
        if self._details is not None:
            return self._details
        return NEEDS_INFO

    async def _gated_details(self, info: Info[Context, None], built: DetailsType,
                             names: set[str]) -> Any:
        personal, case_id = info.context.personal, str(self.case_id)
        if built.sealed.intersection(names):
            shown = await personal.payload(case_id, self._payload, path_of(info),
                                           self.command_id)
        else:  # only the status asked for: nothing opened, nothing logged
            shown = payload_shown(self._payload, await personal.view(case_id), {})
        return built.build(self.type, shown)

    @strawberry.field(description="The step's own fields as stored (snake_case keys). Personal "
                                  "data in them (names, date of birth) are null for roles that "
                                  "may not see personal data; every read of them is recorded in "
                                  "the access log.",
                      deprecation_reason="Read `details` (typed, one type per event type).")
    @short_path(lambda event: event._plain_payload())
    def payload(self, info: Info[Context, None]) -> JSON:
        # Synchronous unless the payload holds personal data: an async resolver made every
        # timeline item an awaitable (a task and a gather per request); the gate's coroutine,
        # when needed, is awaited by the executor all the same. Without personal data it is
        # answered without an info (`_plain_payload`).
        plain = self._plain_payload()
        if plain is not NEEDS_INFO:
            return plain  # type: ignore[no-any-return]
        personal, case_id, via = info.context.personal, str(self.case_id), path_of(info)
        shown = personal.payload_ahead(case_id, self._payload, via)  # opened with its timeline
        if shown is not NOT_AHEAD:
            return offset_times(shown)  # type: ignore[no-any-return]
        return _offset_after(info.context.personal.payload(  # type: ignore[return-value]
            str(self.case_id), self._payload, path_of(info), self.command_id))

    def _plain_payload(self) -> Any:
        """The payload of an event without personal data (or opened already), its times with
        an offset; else `NEEDS_INFO`: the gate needs the path."""
        if self._opened or not needs_gate(self._payload):
            return offset_times(self._payload)
        return NEEDS_INFO


def timeline_event(row: Row, stream_column: str = "case_id", **case_only: Any
                   ) -> TimelineEvent:
    """A timeline-shaped row as a `TimelineEvent`. Case rows carry `recorded_late`, `phase` and
    `changes`; other streams (solidarity) name their stream in `stream_column` and pass what
    they have of those in `case_only`.

    The fields of `_DECODED` are decoded from the row when first read; the instance is made
    without the dataclass's `__init__`, which would need them (`dataclasses.replace` and
    comparison read them as attributes, so decode them)."""
    if stream_column == "case_id":
        case_only = {"recorded_late": bool(row["recorded_late"]), "phase": row["phase"],
                     "_changes": row["changes"]}
    event = _new(TimelineEvent)
    fields = event.__dict__
    fields.update(
        position=row["seq"],
        case_id=row[stream_column],  # (strawberry.ID is `str` at run time)
        version=row["version"],
        type=row["event_type"],
        topic=row["topic"],
        command_id=row["command_id"],
        correlation_id=row["correlation_id"],
        causation_id=row["causation_id"],
        occurred_at=parse_time(row["occurred_at"]),
        recorded_at=parse_time(row["recorded_at"]),
        actor=Actor(id=row["actor_id"], role=row["actor_role"],
                    authority=row["actor_authority"], member_state=row["actor_member_state"]),
        legal_basis=[LegalBasis(**b) for b in loads(row["legal_basis"])],
        _payload=loads(row["payload"]),
        phase="OTHER",
        _changes=None,
        _opened=False,
        _row=row,
        _details=None,
    )
    fields.update(case_only)
    return event


_new = object.__new__


#: The fields of a `TimelineEvent` built by `timeline_event` that are decoded from its row only
#: when first read: the global id (base64 of the position) and the evidence references (JSON),
#: which most reads of a timeline do not select. (Decoding the rest lazily as well cost as much
#: as it saved for the common selection of times, actor, legal basis and payload.)
_DECODED: dict[str, Callable[[Row], Any]] = {
    "id": lambda row: global_id(EVENT, row["seq"]),
    "evidence_refs": lambda row: loads(row["evidence_refs"]),
}


class _Decoded:
    """A field of `_DECODED` on the class: read from an instance that does not hold it yet (one
    `timeline_event` built), it is decoded from the row and then kept on the instance, which
    from then on answers by itself (a non-data descriptor: the instance's own value wins, so
    the dataclass's `__init__` and `replace` set it as any attribute)."""

    def __init__(self, name: str, decode: Callable[[Row], Any]) -> None:
        self.name, self.decode = name, decode

    def __get__(self, event: Any, owner: type | None = None) -> Any:
        if event is None:
            raise AttributeError(self.name)  # no class-level value (strawberry, dataclasses)
        row = event.__dict__.get("_row")
        if row is None:
            raise AttributeError(self.name)
        value = event.__dict__[self.name] = self.decode(row)
        return value


# set after the dataclass and strawberry have read the class: the fields keep no default
for _name, _decode in _DECODED.items():
    setattr(TimelineEvent, _name, _Decoded(_name, _decode))


async def _offset_after(gated: Awaitable[Any]) -> Any:
    """The gated payload, its times written as every DateTime (`+00:00`)."""
    return offset_times(await gated)
