"""Tamper evidence over GraphQL: the ledger digest an auditor saves, inclusion and consistency
proofs (RFC 6962) to check against it, and verification of one case or of the whole ledger."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from ledger.validation import Problems
from ledger.verification import Report, SavedDigest
from schema.context import Context
from schema.input_checks import at_least, raise_if_invalid


@strawberry.type(description="The Merkle tree head over every event in log order: save it, and "
                             "later ask for a consistency proof or verify the ledger against it.")
class LedgerDigest:
    size: int = strawberry.field(description="Number of events (leaves).")
    root_hash: str = strawberry.field(description="RFC 6962 tree hash (hex, SHA-256).")
    last_position: int | None = strawberry.field(description="Log position of the last leaf.")
    computed_at: datetime


@strawberry.type(description="The first bad event found, or why the log as a whole fails.")
class IntegrityProblem:
    position: int | None = strawberry.field(
        description="Log position (null when no single event can be named).")
    stream: str | None
    version: int | None
    reason: str = strawberry.field(
        description="ALTERED, DELETED, INSERTED, REORDERED, UNDECODABLE, TABLE_MISMATCH, "
                    "DIGEST_MISMATCH or SUBTREE_MISMATCH (the stored subtrees digests and "
                    "proofs are served from disagree with the hash table).")
    detail: str


@strawberry.type
class VerificationResult:
    valid: bool
    events_checked: int
    first_problem: IntegrityProblem | None
    problem_count: int


@strawberry.type(description="Audit path from a leaf to the root of a tree of `treeSize`.")
class InclusionProof:
    leaf_index: int
    tree_size: int
    root_hash: str
    path: list[str]


@strawberry.type(description="Proof that the tree of `toSize` events extends that of `fromSize`.")
class ConsistencyProof:
    from_size: int
    to_size: int
    from_root: str
    to_root: str
    path: list[str]


@strawberry.input
class SavedDigestInput:
    size: int
    root_hash: str


def _result(report: Report) -> VerificationResult:
    p = report.first_problem
    problem = None if p is None else IntegrityProblem(
        position=p.position, stream=p.stream, version=p.version, reason=p.reason,
        detail=p.detail)
    return VerificationResult(valid=report.valid, events_checked=report.events_checked,
                              first_problem=problem, problem_count=len(report.problems))


@strawberry.type
class IntegrityQuery:
    @strawberry.field(description="The current ledger digest (over the events projected so far).")
    async def ledger_digest(self, info: Info[Context, None]) -> LedgerDigest:
        d = await info.context.run_heavy(info.context.reads.integrity.digest)
        return LedgerDigest(size=d.size, root_hash=d.root, last_position=d.last_position,
                            computed_at=d.computed_at)

    @strawberry.field(description="Recompute one case's stored events against its chain and "
                                  "the hash table; null for an unknown case.")
    async def verify_case(self, info: Info[Context, None],
                          case_id: strawberry.ID) -> VerificationResult | None:
        try:
            case = UUID(str(case_id))
        except ValueError:
            raise GraphQLError("caseId is not a case id (a UUID)", extensions={
                "code": "INVALID_INPUT",
                "fields": [{"field": "caseId", "message": "is not a case id (a UUID)"}]}) from None
        report = await info.context.run(info.context.reads.integrity.verify_case, case)
        return None if report is None else _result(report)

    @strawberry.field(description="Recompute every stored event (reads the whole log), and "
                                  "check that its first `size` events still hash to a saved "
                                  "digest.")
    async def verify_ledger(self, info: Info[Context, None],
                            saved_digest: SavedDigestInput | None = None) -> VerificationResult:
        problems = Problems()
        at_least(problems, "savedDigest.size", None if saved_digest is None
                 else saved_digest.size, 0)
        raise_if_invalid(problems)
        saved = None if saved_digest is None else SavedDigest(saved_digest.size,
                                                              saved_digest.root_hash.lower())
        return _result(await info.context.run_heavy(info.context.reads.integrity.verify_ledger,
                                                    saved))

    @strawberry.field(description="Inclusion proof of the event at `position` in the tree of "
                                  "the first `treeSize` events (default: all); null if absent.")
    async def inclusion_proof(self, info: Info[Context, None], position: int,
                              tree_size: int | None = None) -> InclusionProof | None:
        problems = Problems()
        at_least(problems, "position", position, 0)
        at_least(problems, "treeSize", tree_size, 1)
        raise_if_invalid(problems)
        p = await info.context.run_heavy(info.context.reads.integrity.inclusion, position,
                                        tree_size)
        return None if p is None else InclusionProof(leaf_index=p.leaf_index,
                                                     tree_size=p.tree_size, root_hash=p.root,
                                                     path=p.path)

    @strawberry.field(description="Consistency proof from a saved digest's size to `toSize` "
                                  "(default: now); null if the ledger is not that large.")
    async def consistency_proof(self, info: Info[Context, None], from_size: int,
                                to_size: int | None = None) -> ConsistencyProof | None:
        problems = Problems()
        at_least(problems, "fromSize", from_size, 0)
        at_least(problems, "toSize", to_size, 1)
        raise_if_invalid(problems)
        p = await info.context.run_heavy(info.context.reads.integrity.consistency, from_size,
                                        to_size)
        return None if p is None else ConsistencyProof(
            from_size=p.from_size, to_size=p.to_size, from_root=p.from_root,
            to_root=p.to_root, path=p.path)
