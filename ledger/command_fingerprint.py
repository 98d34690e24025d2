"""What makes two commands the same command: a fingerprint kept in each event's envelope.

A command id makes a retry idempotent only if the retry is the same command. The fingerprint is
the SHA-256 of the canonical encoding of the command's type and fields and of what its meta says
about the step (legal time, legal basis, evidence); not the actor, the correlation or causation
ids, which a retry through another session may change without changing the step.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from json.encoder import (  # type: ignore[attr-defined]  # (the C encoder, or None)
    c_make_encoder,
    encode_basestring,
)
from typing import Any

from ledger.command_meta import CommandMeta
from ledger.envelope import LegalBasis
from ledger.errors import FieldProblem, InvalidInput
from ledger.integrity import plain
from ledger.iso_times import iso_text_microseconds

#: `ledger.proofs.canonical_bytes`'s encoder, made once: `json.dumps` with options builds a new
#: encoder at every call (a third of a fingerprint's time). Same options, same bytes.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
#: Its C encoder, made once too (`JSONEncoder.encode` makes one per call): the same options,
#: so the same text for any acyclic record (a plain record holds no cycles).
_ENCODE = c_make_encoder(None, _CANONICAL.default, encode_basestring, None, ":", ",", True,
                         False, True) if c_make_encoder else None


def fingerprinted_record(command: Any, meta: CommandMeta) -> dict[str, Any]:
    """What the fingerprint covers, as a plain record."""
    return {
        "command": type(command).__name__,
        "fields": plain(command),
        "occurred_at": plain(meta.occurred_at),
        "legal_basis": plain(meta.legal_basis),
        "evidence_refs": plain(meta.evidence_refs),
    }


def fingerprint(command: Any, meta: CommandMeta) -> str:
    """SHA-256 (hex) of the record's canonical bytes (`ledger.proofs.canonical_bytes`)."""
    text = _canonical_text(command, meta)
    if text is None:
        record = fingerprinted_record(command, meta)
        text = "".join(_ENCODE(record, 0)) if _ENCODE is not None else _CANONICAL.encode(record)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical_text(command: Any, meta: CommandMeta) -> str | None:
    """The canonical text of `fingerprinted_record`, its outer record written here (its keys
    in their sorted order) and only the command's fields through the encoder; None when the
    meta holds a value of another type than written here (then the record is encoded).
    `tests/unit/test_append_fast_paths.py` compares the two."""
    if _ENCODE is None:
        return None
    occurred, bases, refs = meta.occurred_at, meta.legal_basis, meta.evidence_refs
    if type(occurred) is not datetime or type(bases) is not tuple or type(refs) is not tuple:
        return None
    q = encode_basestring
    legal = evidence = ""
    if bases:  # (`plain` writes a LegalBasis as {"act", "article"}, its texts as they are)
        if any(type(b) is not LegalBasis or type(b.act) is not str
               or type(b.article) is not str for b in bases):
            return None
        legal = ",".join([f'{{"act":{q(b.act)},"article":{q(b.article)}}}' for b in bases])
    if refs:
        if any(type(r) is not str for r in refs):
            return None
        evidence = ",".join([q(r) for r in refs])
    # (an exact datetime's ISO text is digits, "-", ":", ".", "+" and "T": nothing to escape)
    return (f'{{"command":{q(type(command).__name__)},"evidence_refs":[{evidence}],"fields":'
            f'{"".join(_ENCODE(plain(command), 0))},"legal_basis":[{legal}],"occurred_at":"'
            f'{iso_text_microseconds(occurred)}"}}')


def check_same_command(recorded: str | None, command_id: str, sent: str | None) -> None:
    """Refuse a command id already used for a different command (a fingerprint recorded before
    fingerprints existed cannot be compared: the retry is taken as one)."""
    if recorded is not None and sent is not None and recorded != sent:
        raise InvalidInput([FieldProblem(
            "commandId", f"{command_id!r} was already used for a different command on this "
                         "record; send a new command id (a retry must repeat the command "
                         "exactly)")])
