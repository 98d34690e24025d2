"""Refusals the ledger gives. Each is expected (a client can cause it) and carries what a front
end needs to show it; none of them means that anything was recorded."""

from __future__ import annotations

from dataclasses import dataclass

from ledger.rules import Rule


class LedgerError(Exception):
    """Base of every refusal; `code` is stable and machine-readable."""

    code = "LEDGER_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RuleViolation(LedgerError):
    """A command that the law (or the ledger's integrity rules) does not allow in this state."""

    code = "RULE_VIOLATION"

    def __init__(self, rule: Rule, detail: str | None = None) -> None:
        message = rule.summary if detail is None else f"{rule.summary} ({detail})"
        super().__init__(message)
        self.rule = rule


class CaseNotFound(LedgerError):
    code = "CASE_NOT_FOUND"

    def __init__(self, case_id: object) -> None:
        super().__init__(f"No case with id {case_id}")
        self.case_id = case_id


class CaseAlreadyExists(LedgerError):
    code = "CASE_ALREADY_EXISTS"

    def __init__(self, member_state: str, reference: str) -> None:
        super().__init__(
            f"A case for national reference {reference!r} in {member_state} is already registered"
        )
        self.member_state = member_state
        self.reference = reference


class ConcurrentChange(LedgerError):
    """The case changed between loading and saving more often than retries allow."""

    code = "CONCURRENT_CHANGE"


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str


class InvalidInput(LedgerError):
    """Input that is malformed whatever the case's state: bad codes, enums, lengths, dates."""

    code = "INVALID_INPUT"

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


class Forbidden(LedgerError):
    """The principal's role or member state does not allow this step; nothing was recorded."""

    code = "FORBIDDEN"


class OutcomeUnknown(Exception):
    """Saving failed in a way that does not say whether the transaction committed (a lost
    connection, a database restart). Not a refusal: the step may have been recorded. Sending the
    same command with the same `command_id` again records it at most once."""

    code = "OUTCOME_UNKNOWN"

    def __init__(self, command_id: str) -> None:
        super().__init__(
            f"It is not known whether the command was recorded: send it again with commandId "
            f"{command_id!r} (a command id is recorded at most once)")
        self.command_id = command_id
        self.message = str(self)
