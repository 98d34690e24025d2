"""Detention (RCD (EU) 2024/1346 Arts 10-13, APR Art 54, AMMR Arts 44-45, Return Border
Procedure Regulation (EU) 2024/1349): commands, events, steps (the rules) and handlers."""
