"""The `details` column keeps issue 11's sub-state fields (a hit's receipt, the transfer decision's
time, an appeal against it, the transfer limit's new start, extensions in months) and decodes
rows written before them unchanged."""

from __future__ import annotations

from datetime import UTC, datetime

from ledger.application import Ledger
from ledger.case.eurodac.values import EurodacHit
from ledger.case.responsibility.values import Responsibility, TransferAppeal
from ledger.case.state import CaseState
from projections.case_details import details_json, set_details_from_json
from tests.support.cases import case_of, registered

T = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
LATER = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)


def test_issue_11_fields_come_back_as_they_were(ledger: Ledger) -> None:
    state = case_of(ledger, registered(ledger, "ENC-1"))
    state.hits = (EurodacHit("IRREGULAR_CROSSING", "EL", "HIT-1", received_at=T),)
    state.responsibility = Responsibility(
        state="TRANSFER_PENDING", other="EL", requested_at=T, accepted_at=T,
        transfer_decision=True, transfer_decided_at=T, limit_from=LATER,
        transfer_appeal=TransferAppeal(court="TAR Lazio", lodged_at=T, suspension="GRANTED",
                                       decided_at=LATER, annulled=False))
    state.extensions_months = 2
    back = CaseState()
    set_details_from_json(back, details_json(state))
    assert (back.hits, back.responsibility, back.extensions_months) == (
        state.hits, state.responsibility, 2)


def test_a_row_written_before_them_decodes_with_the_defaults() -> None:
    old = ('{"hits":[{"category":"IRREGULAR_CROSSING","origin":"EL","ref":"HIT-1"}],'
           '"responsibility":{"state":"TRANSFER_PENDING","other":"EL",'
           '"transfer_decision":true},"extensions_days":10}')
    back = CaseState()
    set_details_from_json(back, old)
    assert back.hits == (EurodacHit("IRREGULAR_CROSSING", "EL", "HIT-1"),)
    assert back.responsibility == Responsibility(state="TRANSFER_PENDING", other="EL",
                                                 transfer_decision=True)
    assert (back.extensions_days, back.extensions_months) == (10, 0)


def test_dumps_writes_what_plain_then_orjson_wrote() -> None:
    """`encoding.dumps` lets orjson walk the value; the text is the one `plain` + orjson gave."""
    import dataclasses
    from datetime import date, time, timedelta, timezone
    from enum import Enum
    from uuid import UUID

    import orjson

    from ledger.personal_data.sealed import SealedValue
    from projections.encoding import dumps, plain

    class Kind(Enum):
        A = "a"

    @dataclasses.dataclass(frozen=True)
    class Value:
        at: datetime
        n: int

    values = [
        {"t": T, "d": date(2026, 1, 2), "naive": datetime(2026, 1, 2, 3, 4, 5),
         "zero_us": datetime(2026, 1, 2, tzinfo=UTC),
         "cet": datetime(2026, 1, 2, 3, tzinfo=timezone(timedelta(hours=1))),
         "tuple": (1, "x", [T, None]), "enum": Kind.A, "uuid": UUID(int=7),
         "sealed": SealedValue(key_id="k", nonce="n", ciphertext="c"),
         "nested": [{"a": [{"b": T}]}], "float": 1.5, "flag": True, "time": time(1, 2)},
        [Value(T, 1)], "plain", 3, None,
    ]
    for value in values:
        assert dumps(value) == orjson.dumps(plain(value)).decode()


def test_the_envelope_transcodings_build_what_the_constructors_build() -> None:
    """`ledger.transcodings` builds the envelope's frozen values without their `__init__`:
    the same fields, in the same order, equal and hashing alike; and none has a
    `__post_init__` that such a build would skip."""
    from dataclasses import fields

    from ledger.envelope import Actor, Envelope, LegalBasis
    from ledger.transcodings import ActorAsDict, EnvelopeAsDict, LegalBasisAsList

    actor = Actor(id="a", role="CASEWORKER", authority="X", member_state="IT")
    basis = LegalBasis("APR", "Art 27(1)")
    envelope = Envelope(occurred_at=T, actor=actor, legal_basis=(basis,), command_id="c",
                        correlation_id="r", causation_id="s", evidence_refs=("e",),
                        previous_hash="h", command_fingerprint="f", hash_format=2)
    built = [ActorAsDict().decode(ActorAsDict().encode(actor)),
             LegalBasisAsList().decode(LegalBasisAsList().encode(basis)),
             EnvelopeAsDict().decode(EnvelopeAsDict().encode(envelope))]
    for original, copy in zip([actor, basis, envelope], built, strict=True):
        assert not hasattr(type(original), "__post_init__")
        assert copy == original and hash(copy) == hash(original)
        assert list(vars(copy).items()) == list(vars(original).items())
        assert list(vars(copy)) == [f.name for f in fields(type(original))]
