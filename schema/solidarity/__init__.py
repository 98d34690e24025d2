"""The AMMR solidarity ledger: the annual cycle, the accounts' balances, and their mutations."""
