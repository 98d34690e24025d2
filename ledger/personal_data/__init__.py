"""Personal data that can be erased from an append-only ledger (crypto-shredding).

Personal data (names, date of birth) never reach an event in clear: the command handler seals
them with a key of the case's data subject through the `PersonalDataVault` port before the event
is created, so the event, its hashes and every proof cover only ciphertext. Destroying the key
erases the data and leaves every chain, digest and proof valid.
"""
