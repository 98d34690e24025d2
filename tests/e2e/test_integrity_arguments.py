"""Proof arguments out of range are INVALID_INPUT naming the field, on both backends (found by
the GraphQL fuzzing: a negative `treeSize` reached PostgreSQL as a negative LIMIT)."""

from __future__ import annotations

import httpx
import pytest

from pact_ledger.wiring import Container
from tests.e2e.conftest import serving, token
from tests.support.acting import principal

CASES = [
    ("{ inclusionProof(position: 0, treeSize: -1) { path } }", "treeSize"),
    ("{ inclusionProof(position: -5) { path } }", "position"),
    ("{ consistencyProof(fromSize: -1) { path } }", "fromSize"),
    ("{ consistencyProof(fromSize: 1, toSize: 0) { path } }", "toSize"),
    ('{ verifyLedger(savedDigest: {size: -2, rootHash: "00"}) { valid } }', "savedDigest.size"),
]


@pytest.mark.parametrize(("document", "field"), CASES)
def test_proof_arguments_out_of_range_are_invalid_input(container: Container, document: str,
                                                        field: str) -> None:
    bearer = token(principal("AUDITOR", "EU"))
    with serving(container) as url:
        answer = httpx.post(f"{url}/graphql", json={"query": document},
                            headers={"Authorization": f"Bearer {bearer}"}, timeout=30)
    assert answer.status_code == 200, answer.text
    errors = answer.json()["errors"]
    assert [e["extensions"]["code"] for e in errors] == ["INVALID_INPUT"], errors
    assert [f["field"] for f in errors[0]["extensions"]["fields"]] == [field], errors
