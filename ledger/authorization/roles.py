"""Who a principal is: a role, and the member state (or the Union) it acts for.

A principal is the `Actor` recorded on every event: id (the token's subject), role, authority and
member state. Case roles act for one member state's authorities; auditing, solidarity and
administration exist at national and at EU level.
"""

from __future__ import annotations

from enum import Enum

from ledger.vocabulary import is_member_state

#: The member state of a principal acting at Union level (Commission, Council, EU auditor).
EU = "EU"


class Role(str, Enum):
    SCREENING_OFFICER = "SCREENING_OFFICER"
    CASE_WORKER = "CASE_WORKER"
    DECISION_MAKER = "DECISION_MAKER"
    APPEAL_BODY = "APPEAL_BODY"
    AUDITOR = "AUDITOR"
    SOLIDARITY_COORDINATOR = "SOLIDARITY_COORDINATOR"
    ADMINISTRATOR = "ADMINISTRATOR"
    #: Erasure on request and subject access (GDPR Arts 15, 17, 37-39), national or EU level.
    DATA_PROTECTION_OFFICER = "DATA_PROTECTION_OFFICER"
    #: The member state's independent fundamental-rights monitoring mechanism (Screening Reg
    #: Art 10(2); APR Art 43(4)): records allegations and investigations, decides no case.
    FUNDAMENTAL_RIGHTS_MONITOR = "FUNDAMENTAL_RIGHTS_MONITOR"


ROLES: frozenset[str] = frozenset(r.value for r in Role)

#: Case roles belong to a member state's authorities: there is no EU-level case worker, so no
#: principal of these roles can reach every member state's cases.
NATIONAL_ONLY: frozenset[Role] = frozenset({
    Role.SCREENING_OFFICER, Role.CASE_WORKER, Role.DECISION_MAKER, Role.APPEAL_BODY,
    Role.FUNDAMENTAL_RIGHTS_MONITOR})


def principal_problem(role: str, member_state: str) -> str | None:
    """Why (role, member state) is not a principal the ledger knows; None when it is."""
    if role not in ROLES:
        return f"unknown role {role!r} (one of {', '.join(r.value for r in Role)})"
    if member_state == EU:
        if Role(role) in NATIONAL_ONLY:
            return f"a {role} acts for one member state, not at EU level"
        return None
    if not is_member_state(member_state):
        return f"{member_state!r} is neither an EU member state code (e.g. IT) nor EU"
    return None


def in_scope(principal_state: str, member_state: str) -> bool:
    """A principal reaches its own member state's records; an EU-level principal reaches all."""
    return principal_state == EU or principal_state == member_state
