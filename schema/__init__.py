"""The GraphQL API over the ledger: types, queries, mutations, and the exported SDL."""
