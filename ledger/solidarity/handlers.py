"""Registers every solidarity command with the ledger (imported by `ledger.application`)."""

from ledger.solidarity import account_handlers, cycle_handlers

__all__ = ["account_handlers", "cycle_handlers"]
