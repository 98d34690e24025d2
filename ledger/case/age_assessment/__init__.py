"""Age assessment (APR (EU) 2024/1348 Art 25): commands, events (with their state transitions),
steps (the rules) and handlers side by side. Its result decides minority for every rule that
depends on it (`CaseState.unaccompanied_minor`)."""
