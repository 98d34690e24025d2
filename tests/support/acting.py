"""Principals for tests: for each command, an actor whose role may record it, in the member state
the command records for (`ledger.authorization.policy`), so that a rule test is about its rule."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ledger.application import Ledger
from ledger.authorization.policy import WRITES, acts_for, may_run
from ledger.authorization.roles import EU, Role, in_scope
from ledger.command_meta import CommandMeta
from ledger.envelope import Actor
from ledger.errors import CaseNotFound
from ledger.vocabulary import is_member_state

#: When several roles may record a command, the one tests act as.
PREFERRED = (Role.CASE_WORKER, Role.SCREENING_OFFICER, Role.DECISION_MAKER, Role.APPEAL_BODY,
             Role.SOLIDARITY_COORDINATOR, Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER,
             Role.FUNDAMENTAL_RIGHTS_MONITOR)
_SHORT = {Role.SCREENING_OFFICER: "so", Role.CASE_WORKER: "cw", Role.DECISION_MAKER: "dm",
          Role.APPEAL_BODY: "ab", Role.AUDITOR: "au", Role.SOLIDARITY_COORDINATOR: "sc",
          Role.ADMINISTRATOR: "ad", Role.DATA_PROTECTION_OFFICER: "dp",
          Role.FUNDAMENTAL_RIGHTS_MONITOR: "fm"}


def principal(role: Role | str, member_state: str = "IT") -> Actor:
    """A test principal of `role` acting for `member_state` (or EU)."""
    role = Role(role)
    return Actor(f"{member_state.lower()}-{_SHORT[role]}-01", role.value,
                 f"{member_state} test authority", member_state)


def target_state(ledger: Ledger, command: Any) -> str:
    """The member state `command` records for; IT when it names none the ledger knows (a test
    of malformed input: the shape check refuses it before the scope is asked)."""
    state = acts_for(command)
    if state is not None:
        return state if state == EU or is_member_state(state) else "IT"
    try:
        return ledger.get_case(command.case_id).member_state
    except CaseNotFound:
        return "IT"


def actor_for(ledger: Ledger, command: Any) -> Actor:
    """A principal that may record `command`: a case worker where one may."""
    roles = WRITES[type(command)]
    role = next(r for r in PREFERRED if r in roles)
    return principal(role, target_state(ledger, command))


def permitted(ledger: Ledger, command: Any, meta: CommandMeta) -> CommandMeta:
    """`meta` as is if its actor may record `command`; else with one who may."""
    actor = meta.actor
    state = target_state(ledger, command)
    if may_run(actor, type(command)) and (state == EU and actor.member_state == EU
                                          or state != EU and in_scope(actor.member_state, state)):
        return meta
    return replace(meta, actor=actor_for(ledger, command))


def handle(service: Any, command: Any, meta: CommandMeta) -> Any:
    """Record `command` through `service` (a `Ledger`, or the `ConsistentLedger` over one) as a
    principal that may."""
    ledger: Ledger = service if isinstance(service, Ledger) else service.ledger
    return service.handle(command, permitted(ledger, command, meta))
