"""A case's history for auditors and appeal bodies: its timeline, the case as it stood at a
moment, the trail of each decision, the decisions under appeal."""
