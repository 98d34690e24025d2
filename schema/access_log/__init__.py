"""The personal-data access log: every read of a case's personal data, for auditors."""
