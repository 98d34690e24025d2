"""The one gate to personal data (names, dates of birth): open only to the roles
`ledger.authorization.policy` allows, and every opening is written to the access log before the data
is returned. Both places where personal data appear go through it: `Case.person` and the payload
of a case's opening event.

Accesses of one request are written together (a DataLoader batches them per tick), and a
resolver returns the data only after its access was written: if the log cannot be written, the
data are not returned. The openings of one tick (a page's `person`s, a timeline's sealed
payloads) take one trip to a worker thread for all their work: the cases' personal data read
and opened, the payloads' sealed values opened, the cases' member states looked up where not
given, and the accesses appended to the log.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from ledger.authorization.policy import Read, may_read
from ledger.envelope import Actor
from ledger.validation import camel
from projections.personal_data import (
    SEALED_KEY,
    PersonalDataReads,
    PersonView,
    is_sealed,
    payload_shown,
)
from projections.personal_data_log import Access, PersonalDataLog


@dataclass(frozen=True, eq=False)
class _Opening:
    """One opening asked for in a tick: a case's personal data (`fields` selected of `person`)
    or an event payload's sealed values (`payload`); logged as read via `via`."""

    case_id: str
    via: str
    fields: tuple[str, ...] = ()
    member_state: str | None = None
    payload: dict[str, Any] | None = None
    command_id: str = ""


class PersonalData:
    def __init__(self, actor: Actor, log: PersonalDataLog,
                 member_state_of: Callable[[str], str | None],
                 reads: PersonalDataReads) -> None:
        self.actor = actor
        self.allowed = may_read(actor, Read.PERSONAL_DATA)
        self._log, self._member_state_of, self._reads = log, member_state_of, reads
        self._loader: DataLoader[Access, None] = DataLoader(self._write, cache=False)
        self._views: DataLoader[str, PersonView | None] = DataLoader(self._load_views)
        self._openings: DataLoader[_Opening, tuple[PersonView | None, dict[str, Any]]] = \
            DataLoader(self._open_all, cache=False)
        #: openings done ahead with their page or timeline ((case id, path) -> the opening,
        #: the view, the opened values)
        self._ahead: dict[tuple[str, str], tuple[_Opening, PersonView | None,
                                                 dict[str, Any]]] = {}

    async def _write(self, accesses: list[Access]) -> list[None]:
        await asyncio.to_thread(self._log.append, accesses)
        return [None] * len(accesses)

    async def _load_views(self, case_ids: list[str]) -> list[PersonView | None]:
        views = await asyncio.to_thread(self._reads.views, case_ids)
        return [views.get(case_id) for case_id in case_ids]

    async def _open_all(self, openings: list[_Opening]
                        ) -> list[tuple[PersonView | None, dict[str, Any]]]:
        return await asyncio.to_thread(self._open_now, openings)

    def _open_now(self, openings: list[_Opening]
                  ) -> list[tuple[PersonView | None, dict[str, Any]]]:
        """The openings of one tick, in a worker thread: (view, opened payload values) of
        each, after every access among them is in the log (nothing is returned otherwise)."""
        views = self._reads.views([o.case_id for o in openings])
        now = datetime.now(UTC)
        answers: list[tuple[PersonView | None, dict[str, Any]]] = []
        accesses: list[Access] = []
        for o in openings:
            view = views.get(o.case_id)
            values: dict[str, Any] = {}
            names = o.fields
            if o.payload is not None:
                values = self._reads.values(view, o.command_id, o.payload)
                names = tuple(sorted({camel(k) for k in values}))
            if names:
                state = o.member_state or self._member_state_of(o.case_id)
                accesses.append(Access(
                    at=now, subject=self.actor.id, role=self.actor.role,
                    authority=self.actor.authority, member_state=self.actor.member_state,
                    case_id=o.case_id, case_member_state=state or "", fields=names,
                    via=o.via[:300]))
            answers.append((view, values))
        if accesses:
            self._log.append(accesses)
        return answers

    def open_ahead(self, openings: list[_Opening]) -> None:
        """Open a page's `person`s or a timeline's sealed payloads in the worker thread that
        read them (their accesses logged before this returns, so before any of it is
        answered): each field that then asks for exactly this opening at exactly this path is
        answered by `opened_ahead`/`payload_ahead` without a trip of its own."""
        if not self.allowed or not openings:
            return
        for o, (view, values) in zip(openings, self._open_now(openings), strict=True):
            self._ahead[(o.case_id, o.via)] = (o, view, values)

    def open_now(self, openings: list[_Opening]
                 ) -> list[tuple[PersonView | None, dict[str, Any]]] | None:
        """Open these payloads now, in the worker thread that read them, their accesses logged
        before this returns: (view, opened values) of each, as `payload` would answer them;
        None for a principal who may not see personal data (each field then takes the gate's
        own way, which logs nothing)."""
        if not self.allowed:
            return None
        return self._open_now(openings) if openings else []

    def opened_ahead(self, case_id: str, fields: tuple[str, ...], via: str) -> Any:
        """The view `open_ahead` opened and logged for these fields of this case at this path,
        or `NOT_AHEAD`."""
        found = self._ahead.pop((case_id, via[:300]), None)
        if found is None or found[0].payload is not None or found[0].fields != fields:
            return NOT_AHEAD
        return found[1]

    def payload_ahead(self, case_id: str, payload: dict[str, Any], via: str) -> Any:
        """This payload as `payload` shows it, opened and logged by `open_ahead` at this path,
        or `NOT_AHEAD`."""
        found = self._ahead.pop((case_id, via[:300]), None)
        if found is None or found[0].payload is not payload:
            return NOT_AHEAD
        return payload_shown(payload, found[1], found[2])

    async def person(self, case_id: str, fields: Iterable[str], via: str,
                     member_state: str | None = None) -> tuple[bool, PersonView | None]:
        """(may this principal see `fields` of the case?, its personal data as they stand
        now): `open` and `view` in one trip, the access logged first."""
        if not self.allowed:
            return False, None
        view, _values = await self._openings.load(_Opening(
            case_id, via, tuple(sorted(set(fields))), member_state))
        return True, view

    async def view(self, case_id: str) -> PersonView | None:
        """The case's personal data as they stand now (opened, or erased: when and why).
        Callers check `open` before they return any value of it."""
        return await self._views.load(case_id)

    async def open(self, case_id: str, fields: Iterable[str], via: str,
                   member_state: str | None = None) -> bool:
        """May this principal see `fields` of the case? If so, the access is logged first."""
        if not self.allowed:
            return False
        names = tuple(sorted(set(fields)))
        if names:
            state = member_state or await asyncio.to_thread(self._member_state_of, case_id)
            await self._loader.load(Access(
                at=datetime.now(UTC), subject=self.actor.id, role=self.actor.role,
                authority=self.actor.authority, member_state=self.actor.member_state,
                case_id=case_id, case_member_state=state or "", fields=names, via=via[:300]))
        return True

    async def payload(self, case_id: str, payload: dict[str, Any], via: str,
                      command_id: str = "") -> dict[str, Any]:
        """An event payload as a client sees it (`projections.personal_data.payload_shown`):
        sealed values replaced by the case's status and, for a principal who may see them, by
        the opened names, date of birth or free text (null otherwise, and once erased); each
        opening is logged first. The ciphertext itself never leaves the ledger."""
        if not needs_gate(payload):
            return payload
        if not self.allowed:
            return payload_shown(payload, await self.view(case_id), {})
        view, values = await self._openings.load(_Opening(
            case_id, via, payload=payload, command_id=command_id))
        return payload_shown(payload, view, values)


#: `PersonalData.opened_ahead` has nothing for a field: it takes the gate's own way.
NOT_AHEAD: Any = object()


def person_ahead(info: Info[Any, Any], case_ids: Iterable[tuple[str, str]]
                 ) -> list[_Opening]:
    """The openings of `person` for each (case id, member state) of a connection's page whose
    selection is plainly `edges { node { person { ... } } }` (no fragments or directives on
    the way, one `person`), at `<this field's path>.<edges>.<i>.node.<person>`; none for any
    other shape (each `person` then opens by itself)."""
    raw = info._raw_info
    if len(raw.field_nodes) != 1:
        return []
    person = _plain_path(raw.field_nodes[0], ("edges", "node", "person"))
    if person is None:
        return []
    edges_key, node_key, person_node = person  # type: ignore[misc]
    fields = tuple(sorted(set(_names([person_node], raw.fragments))))
    prefix = f"{path_of(info)}.{edges_key}"
    return [_Opening(case_id, f"{prefix}.{i}.{node_key}.{_key(person_node)}"[:300], fields,
                     member_state)
            for i, (case_id, member_state) in enumerate(case_ids)]


def payloads_ahead(info: Info[Any, Any], events: Iterable[Any]) -> list[_Opening]:
    """The openings of the sealed payloads of a timeline's events (`TimelineEvent`s) whose
    selection plainly holds one `payload` (no fragments or directives), at
    `<this field's path>.<i>.<payload>`; none for any other shape."""
    raw = info._raw_info
    if len(raw.field_nodes) != 1:
        return []
    found = _plain_path(raw.field_nodes[0], ("payload",), leaf=True)
    if found is None:
        return []
    prefix, key = path_of(info), _key(found[-1])
    return [_Opening(str(e.case_id), f"{prefix}.{i}.{key}"[:300], payload=e._payload,
                     command_id=e.command_id)
            for i, e in enumerate(events) if not e._opened and needs_gate(e._payload)]


def details_ahead(info: Info[Any, Any], events: Iterable[Any],
                  sealed_of: Callable[[str], frozenset[str]]) -> list[tuple[Any, _Opening]]:
    """(event, opening) for each event of a timeline whose `details` would open its sealed
    values: the selection plainly holds one `details` (no `payload`, no fragments or
    directives on the event) and names, in any of its fragments, one of the event type's
    sealed fields (as `TimelineEvent.details` decides from `selected`), at
    `<this field's path>.<i>.<details>`; none for any other shape."""
    raw = info._raw_info
    if len(raw.field_nodes) != 1:
        return []
    found = _plain_path(raw.field_nodes[0], ("details",))
    if found is None or selects(info, "payload"):  # (the payload's own way stays as it is)
        return []
    node = found[-1]
    names = set(_names([node], raw.fragments))
    prefix, key = path_of(info), _key(node)
    return [(e, _Opening(str(e.case_id), f"{prefix}.{i}.{key}"[:300], payload=e._payload,
                         command_id=e.command_id))
            for i, e in enumerate(events)
            if not e._opened and needs_gate(e._payload) and sealed_of(e.type) & names]


def selects(info: Info[Any, Any], name: str) -> bool:
    """Does the current field's selection name the field `name` directly (or in a fragment,
    or under a directive: any selection that is not a plain field counts as naming it)?"""
    for node in info._raw_info.field_nodes:
        for s in node.selection_set.selections if node.selection_set is not None else ():
            if not isinstance(s, FieldNode) or s.name.value == name:
                return True
    return False


def _key(node: FieldNode) -> str:
    return node.alias.value if node.alias is not None else node.name.value


def _plain_path(node: FieldNode, names: tuple[str, ...], leaf: bool = False
                ) -> tuple[Any, ...] | None:
    """(response keys of the fields named but the last, the last field) if `node` selects
    exactly one field of each name in turn, by plain field selections (no fragments or
    directives there); the last has a selection of its own unless it is a `leaf`."""
    keys: list[str] = []
    for name in names:
        if node.selection_set is None:
            return None
        selections = node.selection_set.selections
        if any(not isinstance(s, FieldNode) or s.directives for s in selections):
            return None
        found = [s for s in selections if isinstance(s, FieldNode) and s.name.value == name]
        if len(found) != 1 or found[0].arguments:
            return None
        node = found[0]
        keys.append(_key(node))
    if node.selection_set is None and not leaf:
        return None
    return (*keys[:-1], node)


def needs_gate(payload: dict[str, Any]) -> bool:
    """Does an event payload hold sealed personal data (else it is shown as stored)? As
    `SEALED_KEY in payload or sealed_text_fields(payload)`, without building the list: asked of
    every event a timeline shows, and sealed values are the only dicts most payloads hold."""
    if SEALED_KEY in payload:
        return True
    for value in payload.values():
        if isinstance(value, dict) and is_sealed(value):
            return True
    return False


def selected(info: Info[Any, Any]) -> list[str]:
    """The names of the subfields selected under the current field (through fragments), in
    the order of the query. Read from the query's syntax tree: strawberry's `selected_fields`
    converts every nested selection (all fragments of a details query) to get these few names."""
    raw = info._raw_info
    return _names(raw.field_nodes, raw.fragments)


def _names(field_nodes: Any, fragments: Any) -> list[str]:
    names: list[str] = []

    def walk(selections: Any) -> None:
        for s in selections:
            if isinstance(s, FieldNode):
                names.append(s.name.value)
            elif isinstance(s, InlineFragmentNode):
                walk(s.selection_set.selections)
            elif isinstance(s, FragmentSpreadNode):
                fragment = fragments.get(s.name.value)
                if fragment is not None:
                    walk(fragment.selection_set.selections)

    for node in field_nodes:
        if node.selection_set is not None:
            walk(node.selection_set.selections)
    return [n for n in names if not n.startswith("__")]


def path_of(info: Info[Any, Any]) -> str:
    """The response path of the current field, e.g. cases.edges.0.node.person."""
    keys: list[str] = []
    path: Any = info.path
    while path is not None:
        keys.append(str(path.key))
        path = path.prev
    return ".".join(reversed(keys))
