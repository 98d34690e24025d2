"""Merkle proofs over the ledger, and the offline check of a case export. Standard library only.

This file imports nothing of the project so that an auditor can copy it alone and run

    python3 proofs.py verify EXPORT.json        # exit 0 valid, 1 tampered, 2 unreadable

on a file written by `pact-ledger export CASE_ID`. It recomputes each event's hash from the
bytes its format hashes, checks the chain (each event names the hash of the one before;
versions 1..n), and checks each event's inclusion proof against the digest in the file. Compare
that digest (size, root) with one you saved earlier, or ask the ledger for a consistency proof.

What an event's hash covers (its `envelope.hash_format`, itself inside the hashed bytes):

- formats 1 and 2: the canonical record (`canonical_bytes`: sorted keys, no spaces, UTF-8) of
  {topic, schema_version, stream, stream_version, recorded_at, fields}; an export carries it
  as `record`.
- format 3 (every event recorded since): the event's *descriptor* (`event_descriptor`),

      b"pact-ledger-event/3\n" + JSON([topic, stream, stream_version]) + b"\n" + state

  where JSON is compact (no spaces, UTF-8) and `state` is the event's state exactly as the
  ledger's transcoder wrote it into the store (before any compression or encryption the store
  applies): a JSON object holding every field, the `timestamp` and the envelope (as
  {"_type_": "envelope", "_data_": {..., "previous_hash", "hash_format": 3, ...}}). Only the
  last part is free bytes, the header line is JSON (a newline inside it is escaped), so the
  framing is unambiguous. An export carries `topic`, `stream`, `stream_version` and `state`
  (the stored bytes as UTF-8 text).

chain hash = SHA-256(bytes) in hex: what the next event of the stream records as
`previous_hash`. The tree is RFC 6962's (RFC 9162 section 2.1): leaf = SHA-256(0x00 || bytes),
node = SHA-256(0x01 || left || right), split at the largest power of two below n.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Sequence
from typing import Any

FORMAT = "pact-ledger-export/1"
#: The first bytes of a format-3 event descriptor.
EVENT_TAG = b"pact-ledger-event/3\n"


def canonical_bytes(record: dict[str, Any]) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same record always gives the same bytes."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def record_hash(record: dict[str, Any]) -> str:
    """The chain hash (hex): what the next event of the stream records as `previous_hash`."""
    return hashlib.sha256(canonical_bytes(record)).hexdigest()


def leaf_hash(record: dict[str, Any]) -> bytes:
    """The record's Merkle leaf: SHA-256(0x00 || canonical bytes)."""
    return record_hashes(record)[1]


def record_hashes(record: dict[str, Any]) -> tuple[str, bytes]:
    """(chain hash in hex, Merkle leaf) from one encoding of the record."""
    return bytes_hashes(canonical_bytes(record))


def bytes_hashes(data: bytes) -> tuple[str, bytes]:
    """(chain hash in hex, Merkle leaf) of a record's canonical bytes."""
    return hashlib.sha256(data).hexdigest(), hashlib.sha256(b"\x00" + data).digest()


def event_descriptor(topic: str, stream: str, version: int, state: bytes) -> bytes:
    """What a format-3 event's hashes cover: the tag, the header line, the stored state."""
    header = json.dumps([topic, stream, version], separators=(",", ":"), ensure_ascii=False)
    return EVENT_TAG + header.encode("utf-8") + b"\n" + state


def descriptor_hashes(topic: str, stream: str, version: int, state: bytes) -> tuple[str, bytes]:
    """(chain hash in hex, Merkle leaf) of a format-3 event."""
    return bytes_hashes(event_descriptor(topic, stream, version, state))


def stored_envelope(state: Any) -> dict[str, Any]:
    """The envelope's fields inside a format-3 event's decoded state."""
    envelope = state["envelope"]
    if not isinstance(envelope, dict) or envelope.get("_type_") != "envelope" or \
            not isinstance(envelope.get("_data_"), dict):
        raise ValueError("the state holds no envelope")
    return envelope["_data_"]


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


Memo = dict[tuple[int, int], bytes]


def _mth(leaves: Sequence[bytes], lo: int, hi: int, memo: Memo | None = None) -> bytes:
    if hi - lo == 1:
        return leaves[lo]
    if memo is not None and (lo, hi) in memo:
        return memo[lo, hi]
    k = lo + _split(hi - lo)
    value = node_hash(_mth(leaves, lo, k, memo), _mth(leaves, k, hi, memo))
    if memo is not None:
        memo[lo, hi] = value
    return value


def root(leaves: Sequence[bytes]) -> bytes:
    """The Merkle tree hash of the leaf hashes (of the empty tree: SHA-256 of nothing).

    Level by level, a level's odd last node carried up unpaired: the same value as RFC 6962's
    split at the largest power of two (`_mth`), without a call per node."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    level = list(leaves)
    while len(level) > 1:
        up = [hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
              for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            up.append(level[-1])
        level = up
    return level[0]


def subtree_levels(leaves: Sequence[bytes]) -> list[list[bytes]]:
    """The perfect subtrees of the tree of `leaves`: level 0 the leaves, level l node i the hash
    of leaves i*2**l .. (i+1)*2**l-1 (those of a prefix of s leaves: level l's first s >> l)."""
    levels = [list(leaves)]
    while len(levels[-1]) > 1:
        below = levels[-1]
        levels.append([hashlib.sha256(b"\x01" + below[i] + below[i + 1]).digest()
                       for i in range(0, len(below) - 1, 2)])
    return levels


def root_of_levels(levels: Sequence[Sequence[bytes]], size: int) -> bytes:
    """The root of the first `size` leaves from their perfect subtrees (`subtree_levels`): the
    subtrees of size's binary digits, largest first, folded from the right (RFC 6962's split)."""
    if size == 0:
        return hashlib.sha256(b"").digest()
    parts, start = [], 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            parts.append(levels[level][start >> level])
            start += 1 << level
    value = parts.pop()
    while parts:
        value = node_hash(parts.pop(), value)
    return value


def _path(m: int, leaves: Sequence[bytes], lo: int, hi: int, memo: Memo) -> list[bytes]:
    if hi - lo == 1:
        return []
    k = _split(hi - lo)
    if m < k:
        return _path(m, leaves, lo, lo + k, memo) + [_mth(leaves, lo + k, hi, memo)]
    return _path(m - k, leaves, lo + k, hi, memo) + [_mth(leaves, lo, lo + k, memo)]


def inclusion_proof(index: int, leaves: Sequence[bytes], memo: Memo | None = None) -> list[bytes]:
    """The audit path of leaf `index` in the tree of `leaves` (RFC 6962 section 2.1.1).

    Pass the same `memo` to prove several leaves of one tree in about the time of one."""
    if not 0 <= index < len(leaves):
        raise ValueError(f"leaf {index} is not in a tree of {len(leaves)}")
    return _path(index, leaves, 0, len(leaves), {} if memo is None else memo)


def verify_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes],
                     root_hash: bytes) -> bool:
    """RFC 9162 section 2.1.3.2."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root_hash


def _subproof(m: int, leaves: Sequence[bytes], lo: int, hi: int, whole: bool) -> list[bytes]:
    n = hi - lo
    if m == n:
        return [] if whole else [_mth(leaves, lo, hi)]
    k = _split(n)
    if m <= k:
        return _subproof(m, leaves, lo, lo + k, whole) + [_mth(leaves, lo + k, hi)]
    return _subproof(m - k, leaves, lo + k, hi, False) + [_mth(leaves, lo, lo + k)]


def consistency_proof(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    """Proof that the tree of the first `m` leaves is a prefix of this one (section 2.1.2)."""
    if not 0 <= m <= len(leaves):
        raise ValueError(f"a tree of {len(leaves)} has no prefix of {m}")
    return [] if m in (0, len(leaves)) else _subproof(m, leaves, 0, len(leaves), True)


def verify_consistency(m: int, n: int, first: bytes, second: bytes,
                       path: Sequence[bytes]) -> bool:
    """RFC 9162 section 2.1.4.2; any tree extends the empty one, and a tree extends itself."""
    if not 0 <= m <= n:
        return False
    if m == 0:
        return not path and first == root([])
    if m == n:
        return not path and first == second
    proof = [first, *path] if m & (m - 1) == 0 else list(path)
    if not proof:
        return False
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first and sr == second and sn == 0


def _hashes(entry: dict[str, Any]) -> tuple[str, bytes, Any, Any, Any]:
    """(chain hash, leaf, stream, version, previous_hash) from an export entry of any format."""
    if "state" in entry:  # format 3: the stored bytes
        state = entry["state"]
        stream, version = entry["stream"], entry["stream_version"]
        if type(state) is not str or type(stream) is not str or type(version) is not int:
            raise TypeError("a format-3 entry needs state, stream (text), stream_version (int)")
        data = state.encode("utf-8")
        envelope = stored_envelope(json.loads(data))
        if envelope.get("hash_format") != 3:
            raise ValueError("a format-3 entry whose state does not say hash_format 3")
        chain, leaf = descriptor_hashes(entry["topic"], stream, version, data)
        return chain, leaf, stream, version, envelope.get("previous_hash")
    record = entry["record"]
    chain, leaf = record_hashes(record)
    previous = record.get("fields", {}).get("envelope", {}).get("previous_hash")
    return chain, leaf, record.get("stream"), record.get("stream_version"), previous


def _check_event(i: int, entry: dict[str, Any], before: str | None, case_id: Any,
                 size: int, root_hash: bytes) -> tuple[list[str], str]:
    label = f"event {i + 1} (position {entry.get('position')})"
    problems = []
    digest, leaf, stream, version, previous = _hashes(entry)
    if digest != entry.get("hash"):
        problems.append(f"{label}: its {'state' if 'state' in entry else 'record'} no longer "
                        f"hashes to {entry.get('hash')}")
    if stream != case_id or version != i + 1:
        problems.append(f"{label}: is version {version} of "
                        f"{stream}, expected version {i + 1} of {case_id}")
    if previous != before or entry.get("previous_hash") != previous:
        problems.append(f"{label}: previous_hash {previous} does not match the event "
                        f"before it ({before})")
    path = [bytes.fromhex(p) for p in entry["inclusion_proof"]]
    if not verify_inclusion(entry["leaf_index"], size, leaf, path, root_hash):
        problems.append(f"{label}: its inclusion proof does not lead to the digest root")
    return problems, digest


def verify_export(document: dict[str, Any]) -> list[str]:
    """Everything wrong with an export (empty: valid)."""
    if document.get("format") != FORMAT:
        return [f"not a {FORMAT} document"]
    try:
        size, root_hash = int(document["digest"]["size"]), bytes.fromhex(document["digest"]["root"])
        events = document["events"]
        problems, before = [], None
        if not events:
            problems.append("the export holds no events")
        for i, entry in enumerate(events):
            found, before = _check_event(i, entry, before, document.get("case_id"), size,
                                         root_hash)
            problems += found
        indexes = [entry["leaf_index"] for entry in events]
        if indexes != sorted(set(indexes)):
            problems.append("the events' leaf indexes do not ascend with their versions")
        return problems
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        return [f"malformed export: {type(error).__name__}: {error}"]


def main(argv: Sequence[str]) -> int:
    if len(argv) != 2 or argv[0] != "verify":
        print("usage: python3 proofs.py verify EXPORT.json", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as file:
            document = json.load(file)
    except (OSError, ValueError) as error:
        print(f"cannot read {argv[1]}: {error}", file=sys.stderr)
        return 2
    problems = verify_export(document) if isinstance(document, dict) else ["not a JSON object"]
    for problem in problems:
        print(f"INVALID {problem}")
    if problems:
        return 1
    digest = document["digest"]
    print(f"VALID case {document['case_id']}: {len(document['events'])} events, chained and "
          f"included in the ledger digest size={digest['size']} root={digest['root']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
