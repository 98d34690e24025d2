"""What suspends a transfer while it is under appeal: each member state's option.

AMMR Art 43(3) (confirmed): the person may ask a court to suspend the transfer decision within
a reasonable time and no later than the appeal period. How far an appeal suspends the transfer
by itself is the member state's choice among three options, as Dublin III Art 27(3)(a)-(c) set
them; that the AMMR keeps these three options (its Art 43(1)(a)-(c) in the numbering of the
leftover note) is **unconfirmed** in our sources (pact-rules-procedures §4.8-4.9 saw only the
request): a parameter per member state, with its default.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum


class SuspensiveEffect(str, Enum):
    #: (a) the appeal suspends the transfer until it is decided.
    AUTOMATIC = "AUTOMATIC"
    #: (b) no transfer until the court decides the first request to suspend it.
    UNTIL_REQUEST_DECIDED = "UNTIL_REQUEST_DECIDED"
    #: (c) the person may ask the court to suspend it; meanwhile the transfer may go ahead.
    ON_REQUEST = "ON_REQUEST"


#: Each member state's option, where known (IE ss.140-141 of its 2026 Act, national law, has
#: (b)); none is confirmed at EU level, so the table is empty and the default applies.
SUSPENSIVE_EFFECT_BY_STATE: Mapping[str, SuspensiveEffect] = {}
#: The default: no transfer while the first request to suspend is undecided (AMMR Art 43(3) as
#: pact-rules-procedures §4.9 reads it, unconfirmed).
DEFAULT_SUSPENSIVE_EFFECT = SuspensiveEffect.UNTIL_REQUEST_DECIDED


def suspensive_effect(member_state: str,
                      table: Mapping[str, SuspensiveEffect] | None = None) -> SuspensiveEffect:
    return (table if table is not None else SUSPENSIVE_EFFECT_BY_STATE).get(
        member_state, DEFAULT_SUSPENSIVE_EFFECT)
