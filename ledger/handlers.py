"""The one table from every command class to its shape check and handler (cf. cosmicpython's
`COMMAND_HANDLERS`): an explicit merge of each aggregate's table. `Ledger.handle` reads it."""

from __future__ import annotations

from ledger.case.handlers import CASE_HANDLERS
from ledger.crisis.handlers import CRISIS_HANDLERS
from ledger.handling import Registration
from ledger.reference_data.handlers import REFERENCE_HANDLERS
from ledger.resettlement.handlers import RESETTLEMENT_HANDLERS
from ledger.solidarity.handlers import SOLIDARITY_HANDLERS

#: Command class -> its shape check and handler.
COMMAND_HANDLERS: dict[type, Registration] = {
    **CASE_HANDLERS,
    **SOLIDARITY_HANDLERS,
    **CRISIS_HANDLERS,
    **REFERENCE_HANDLERS,
    **RESETTLEMENT_HANDLERS,
}
