"""Erasure of a case's personal data (Eurodac Reg. Art 29, GDPR Art 17): the key is destroyed,
the erasure recorded; the sealing itself is `ledger.personal_data`."""
