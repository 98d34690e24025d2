"""Every event class of every catalogue a timeline can show has its typed details type, with one
field per stored field; a new event the generator cannot type (or cannot describe) stops the
schema from building instead of falling back to untyped JSON."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from eventsourcing.domain import Aggregate
from graphql import GraphQLObjectType
from strawberry.utils.str_converters import to_camel_case

from ledger.case.events import CASE_EVENT_TYPES
from ledger.resettlement.events import RESETTLEMENT_EVENT_TYPES
from ledger.solidarity.event_types import SOLIDARITY_EVENT_TYPES
from projections.encoding import ENVELOPE_FIELDS
from schema.build import schema
from schema.timeline.detail_tables import CATALOGUES, VOCABULARY_FIELDS
from schema.timeline.details import BUILDERS, DETAIL_TYPES, details_type


def test_the_details_cover_every_catalogue_a_timeline_shows() -> None:
    # the three families whose events a `TimelineEvent` carries
    assert {id(c) for c in CATALOGUES} == {id(CASE_EVENT_TYPES), id(SOLIDARITY_EVENT_TYPES),
                                           id(RESETTLEMENT_EVENT_TYPES)}


@pytest.mark.parametrize("name", sorted(n for c in CATALOGUES for n in c))
def test_every_event_class_has_its_typed_details(name: str) -> None:
    event = next(c[name] for c in CATALOGUES if name in c)
    assert event in DETAIL_TYPES, f"{name} has no typed details"
    served = schema._schema.type_map.get(f"{name}Details")
    assert isinstance(served, GraphQLObjectType), f"{name}Details is not in the schema"
    assert [i.name for i in served.interfaces] == ["EventDetails"]
    stored = [f.name for f in dataclasses.fields(event) if f.name not in ENVELOPE_FIELDS]
    expected = {to_camel_case(s) for s in stored} - {"personalData"}
    assert expected <= set(served.fields), f"{name}: stored fields without a typed field"
    assert "JSON" not in {str(f.type) for f in served.fields.values()}
    assert BUILDERS[name].graphql_type is DETAIL_TYPES[event]


def test_the_vocabulary_table_names_only_real_fields() -> None:
    fields = {(n, f.name) for c in CATALOGUES for n, e in c.items()
              for f in dataclasses.fields(e)}
    assert set(VOCABULARY_FIELDS) <= fields, set(VOCABULARY_FIELDS) - fields


def test_an_event_the_generator_cannot_type_fails_loudly() -> None:
    class Odd(Aggregate.Event):
        """An event with a field of no known GraphQL type."""

        weight: complex

    with pytest.raises(TypeError, match="weight"):
        details_type("Odd", Odd)

    class Undocumented(Aggregate.Event):
        count: int

    with pytest.raises(TypeError, match="docstring"):
        details_type("Undocumented", Undocumented)


def test_details_are_built_from_a_stored_payload_with_enums_and_times() -> None:
    built: Any = BUILDERS["DecisionIssued"].build("DecisionIssued", {
        "decision_no": 2, "decision_type": "UNFOUNDED", "ground": "APR Art 39",
        "notified_at": "2026-03-01T10:00:00.000000Z", "return_exception": None})
    assert built.decision_type.value == "UNFOUNDED" and built.decision_no == 2
    assert built.notified_at.isoformat() == "2026-03-01T10:00:00+00:00"
    pool: Any = BUILDERS["AnnualPoolEstablished"].build("AnnualPoolEstablished", {
        "council_act": "X", "relocations": 1, "financial_cents": 5, "cents_per_relocation": 2,
        "sar_share_percent": "10.5", "pledges": {"IT": {"RELOCATION": 3, "FINANCIAL": 700}}})
    (italy,) = pool.pledges
    assert italy.member_state.value == "IT"
    assert [(p.type.value, p.persons, p.cents) for p in italy.pledges] == [
        ("RELOCATION", 3, None), ("FINANCIAL", None, 700)]


def test_the_typed_changes_cover_every_observed_attribute() -> None:
    from ledger.case.state import OBSERVED_ATTRIBUTES
    from schema.timeline.changes import _ATTRIBUTE_DOCS, ATTRIBUTES

    assert list(ATTRIBUTES) == list(OBSERVED_ATTRIBUTES)
    assert set(_ATTRIBUTE_DOCS) == set(OBSERVED_ATTRIBUTES)
    served = schema._schema.type_map["CaseChanges"]
    assert isinstance(served, GraphQLObjectType) and len(served.fields) == len(ATTRIBUTES)
