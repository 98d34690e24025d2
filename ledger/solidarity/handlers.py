"""Every solidarity command's handler: an explicit merge of the cycle's and the accounts' tables."""

from __future__ import annotations

from ledger.handling import Registration
from ledger.solidarity import account_handlers, cycle_handlers

#: Solidarity command class -> its shape check and handler.
SOLIDARITY_HANDLERS: dict[type, Registration] = {
    **cycle_handlers.HANDLERS,
    **account_handlers.HANDLERS,
}
