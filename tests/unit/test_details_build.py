"""A details object made without its dataclass's `__init__` (`DetailsType.build`, once per
event of a timeline) is the object that `__init__` makes: every type's fields all given, no
`__post_init__` skipped, equal to the one built by keywords from the same payload."""

from __future__ import annotations

import dataclasses

from schema.timeline.details import BUILDERS


def test_every_details_type_is_built_as_its_init_builds_it() -> None:
    for name, built in BUILDERS.items():
        cls = built.graphql_type
        assert not hasattr(cls, "__post_init__"), name
        fields = {f.name for f in dataclasses.fields(cls)}
        assert fields == {"event_type", *(key for key, _ in built.fields)}, name
        payload = {key: None for key, _ in built.fields}
        assert built.build(name, payload) == cls(event_type=name, **payload), name
        assert type(built.build(name, payload)) is cls
