"""Tamper evidence: the ledger digest, inclusion and consistency proofs, verification."""
