"""What makes two commands the same command: a fingerprint kept in each event's envelope.

A command id makes a retry idempotent only if the retry is the same command. The fingerprint is
the SHA-256 of the canonical encoding of the command's type and fields and of what its meta says
about the step (legal time, legal basis, evidence); not the actor, the correlation or causation
ids, which a retry through another session may change without changing the step.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ledger.command_meta import CommandMeta
from ledger.errors import FieldProblem, InvalidInput
from ledger.integrity import plain
from ledger.proofs import canonical_bytes


def fingerprint(command: Any, meta: CommandMeta) -> str:
    record = {
        "command": type(command).__name__,
        "fields": plain(command),
        "occurred_at": plain(meta.occurred_at),
        "legal_basis": plain(meta.legal_basis),
        "evidence_refs": plain(meta.evidence_refs),
    }
    return hashlib.sha256(canonical_bytes(record)).hexdigest()


def check_same_command(recorded: str | None, command_id: str, sent: str | None) -> None:
    """Refuse a command id already used for a different command (a fingerprint recorded before
    fingerprints existed cannot be compared: the retry is taken as one)."""
    if recorded is not None and sent is not None and recorded != sent:
        raise InvalidInput([FieldProblem(
            "commandId", f"{command_id!r} was already used for a different command on this "
                         "record; send a new command id (a retry must repeat the command "
                         "exactly)")])
