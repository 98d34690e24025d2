"""Stored rows to domain events for the projections, once per batch and cheaper than the library.

The library's `JSONTranscoder` parses with the standard `json` module and calls a Python hook on
every object of the event's JSON. When the application's mapper is that plain transcoder (no
cipher, no compressor), this parses with orjson and then visits only the containers, replacing
each `{"_type_": ..., "_data_": ...}` object, innermost first as the hook does, by its
registered transcoding's value; the event is then built exactly as `Mapper.to_domain_event`
builds it (id conversion, upcasting, `__dict__` set). The result is the same event (tests
compare). Anything orjson refuses or this does not recognise (a cipher, a compressor, another
transcoder, NaN or a 65-bit integer in the JSON) goes through the library's own path.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, cast

import orjson
from eventsourcing.application import Application
from eventsourcing.persistence import (
    JSONTranscoder,
    Mapper,
    StoredEvent,
    Transcoding,
    find_id_convertor,
)
from eventsourcing.utils import resolve_topic


def decoder_for(app: Application) -> Callable[[StoredEvent], Any]:
    """How this application's stored events become domain events, as fast as is safe."""
    mapper: Mapper[Any] = app.mapper
    transcoder = mapper.transcoder
    if (type(transcoder) is not JSONTranscoder or mapper.cipher is not None
            or mapper.compressor is not None):
        return mapper.to_domain_event
    return _FastDecoder(mapper, transcoder.names).decode


def decode_batch(decode: Callable[[StoredEvent], Any],
                 notifications: Sequence[Any]) -> list[tuple[int, Any]]:
    """A batch as the projections receive it: (position, event), in log order."""
    return [(n.id, decode(n)) for n in notifications]


class _FastDecoder:
    __slots__ = ("mapper", "names")

    def __init__(self, mapper: Mapper[Any], names: Mapping[str, Transcoding]) -> None:
        self.mapper, self.names = mapper, names

    def decode(self, stored: StoredEvent) -> Any:
        try:
            state = self._object(orjson.loads(stored.state))
        except Exception:  # (what only the standard parser reads, e.g. NaN, or an unknown
            return self.mapper.to_domain_event(stored)  # `_type_`: the library's error)
        if type(state) is not dict:
            return self.mapper.to_domain_event(stored)
        cls = resolve_topic(stored.topic)
        kind = cast(Hashable, type(stored.originator_id))  # (as the library's mapper does)
        state["originator_id"] = find_id_convertor(cls, kind)(stored.originator_id)
        state["originator_version"] = stored.originator_version
        class_version = getattr(cls, "class_version", 1)
        from_version = state.pop("class_version", 1)
        while from_version < class_version:
            getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(state)
            from_version += 1
        event = object.__new__(cls)
        object.__setattr__(event, "__dict__", state)
        return event

    def _object(self, obj: Any) -> Any:
        """The library hook's result for `obj`, its members decoded first (in place)."""
        if type(obj) is not dict:
            return obj
        for key, value in obj.items():
            kind = type(value)
            if kind is dict:
                obj[key] = self._member(value)
            elif kind is list and value:
                obj[key] = self._list(value)
        if len(obj) == 2 and "_type_" in obj and "_data_" in obj:
            return self.names[obj["_type_"]].decode(obj["_data_"])
        return obj

    def _member(self, obj: dict[str, Any]) -> Any:
        """`_object` of a member, a transcoded value of plain data (a time) decoded at once."""
        if len(obj) == 2 and "_type_" in obj and "_data_" in obj:
            data = obj["_data_"]
            kind = type(data)
            if kind is dict:
                data = self._object(data)
            elif kind is list and data:
                data = self._list(data)
            return self.names[obj["_type_"]].decode(data)
        return self._object(obj)

    def _list(self, items: list[Any]) -> list[Any]:
        for index, value in enumerate(items):
            kind = type(value)
            if kind is dict:
                items[index] = self._member(value)
            elif kind is list and value:
                items[index] = self._list(value)
        return items
