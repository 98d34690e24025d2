"""The case aggregate (`ledger.case.aggregate.Case`), one package per phase of the procedure
(commands, events, steps and handlers side by side), and the explicit tables that list them
(`commands.CASE_COMMANDS`, `events.CASE_EVENT_TYPES`, `handlers.CASE_HANDLERS`)."""
