"""Tamper evidence over HTTP: the digest, proofs a client checks itself with `ledger/proofs.py`,
and verification of a case and of the ledger, before and after a change behind the API; asked
by an EU-level auditor."""

from __future__ import annotations

from ledger import proofs
from pact_ledger.wiring import Container
from projections.integrity_projection import hashes_of
from tests.e2e.conftest import GraphQLClient
from tests.support.flows import rejected_with_return, screened_applicant
from tests.support.tamper import StoredRows

DIGEST = "{ ledgerDigest { size rootHash lastPosition computedAt } }"
RESULT = ("{ valid eventsChecked problemCount "
          "firstProblem { position stream version reason detail } }")
VERIFY_CASE = f"query($id: ID!) {{ verifyCase(caseId: $id) {RESULT} }}"
VERIFY_LEDGER = f"query($d: SavedDigestInput) {{ verifyLedger(savedDigest: $d) {RESULT} }}"
INCLUSION = """query($p: Int!, $n: Int) {
  inclusionProof(position: $p, treeSize: $n) { leafIndex treeSize rootHash path } }"""
CONSISTENCY = """query($m: Int!) {
  consistencyProof(fromSize: $m) { fromSize toSize fromRoot toRoot path } }"""


def hexes(values: list[str]) -> list[bytes]:
    return [bytes.fromhex(v) for v in values]


def test_digest_and_proofs_check_out_on_the_client(gql: GraphQLClient,
                                                   container: Container) -> None:
    gql = gql.as_role("AUDITOR", "EU")
    case = rejected_with_return(container.ledger, "I-1")
    container.runner.catch_up()
    saved = gql(DIGEST)["ledgerDigest"]
    assert saved["size"] == saved["lastPosition"] and saved["size"] >= 9

    rows = StoredRows(container.settings)
    try:
        position = rows.positions(case)[3]
    finally:
        rows.close()
    proof = gql(INCLUSION, {"p": position})["inclusionProof"]
    event = container.ledger.mapper.to_domain_event(
        container.ledger.recorder.select_notifications(position, 1)[0])
    leaf = bytes.fromhex(hashes_of(event)[1])
    assert proof["rootHash"] == saved["rootHash"] and proof["treeSize"] == saved["size"]
    assert proofs.verify_inclusion(proof["leafIndex"], proof["treeSize"], leaf,
                                   hexes(proof["path"]), bytes.fromhex(saved["rootHash"]))
    assert gql(INCLUSION, {"p": 10_000})["inclusionProof"] is None

    screened_applicant(container.ledger, "I-2")
    container.runner.catch_up()
    later = gql(CONSISTENCY, {"m": saved["size"]})["consistencyProof"]
    assert later["fromRoot"] == saved["rootHash"] and later["toSize"] > saved["size"]
    assert proofs.verify_consistency(saved["size"], later["toSize"],
                                     bytes.fromhex(saved["rootHash"]),
                                     bytes.fromhex(later["toRoot"]), hexes(later["path"]))


def test_verification_finds_a_change_made_behind_the_api(gql: GraphQLClient,
                                                         container: Container) -> None:
    gql = gql.as_role("AUDITOR", "EU")
    case = rejected_with_return(container.ledger, "I-3")
    other = screened_applicant(container.ledger, "I-4")
    container.runner.catch_up()
    saved = gql(DIGEST)["ledgerDigest"]
    digest = {"size": saved["size"], "rootHash": saved["rootHash"]}
    assert gql(VERIFY_CASE, {"id": str(case)})["verifyCase"]["valid"]
    clean = gql(VERIFY_LEDGER, {"d": digest})["verifyLedger"]
    assert clean == {"valid": True, "eventsChecked": saved["size"], "problemCount": 0,
                     "firstProblem": None}

    rows = StoredRows(container.settings)
    try:
        position = rows.positions(case)[5]
        rows.alter_actor(position)
    finally:
        rows.close()
    found = gql(VERIFY_CASE, {"id": str(case)})["verifyCase"]
    assert not found["valid"]
    assert {k: found["firstProblem"][k] for k in ("position", "stream", "version", "reason")} \
        == {"position": position, "stream": str(case), "version": 5, "reason": "ALTERED"}
    assert gql(VERIFY_CASE, {"id": str(other)})["verifyCase"]["valid"]
    ledger = gql(VERIFY_LEDGER, {"d": digest})["verifyLedger"]
    assert ledger["firstProblem"]["position"] == position and ledger["problemCount"] == 2
    assert gql(VERIFY_CASE, {"id": "00000000-0000-0000-0000-000000000001"})["verifyCase"] \
        is None
    refused = gql.post(VERIFY_CASE, {"id": "not-a-uuid"}).json()
    assert "not a case id" in refused["errors"][0]["message"]
