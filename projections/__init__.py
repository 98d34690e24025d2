"""Read models of the ledger and the machinery that keeps them current.

Every read model lives in real tables of the same database as the events (SQLite file or
PostgreSQL database) and is updated together with its tracking position in one transaction.
"""
