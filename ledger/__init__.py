"""Pact Ledger's domain and application layer.

Events, aggregates, the rules of the Pact regulations and the commands that record steps.
This package imports nothing else of the project and does no I/O of its own beyond the event
store that the `eventsourcing` application is configured with.
"""
