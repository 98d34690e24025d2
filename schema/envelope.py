"""The envelope of a recorded step as GraphQL types: who recorded it and under which provisions.
Shared by every list of events (a case's timeline, the decision trail, solidarity entries)."""

from __future__ import annotations

import strawberry


@strawberry.type(description="The principal who recorded a step.")
class Actor:
    id: str
    role: str
    authority: str
    member_state: str


@strawberry.type(description="An act and an article, e.g. APR (EU) 2024/1348, Art 27(1).")
class LegalBasis:
    act: str
    article: str
