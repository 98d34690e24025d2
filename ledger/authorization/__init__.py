"""Who may see and do what: roles, member-state scope, and the one table that says so."""
