"""Cases: the case type, the case queries and one mutation per case command."""
