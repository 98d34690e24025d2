"""Reception conditions (RCD (EU) 2024/1346): commands, events, steps (the rules) and handlers."""
