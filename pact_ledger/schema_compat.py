"""No accidental breaking change: the schema the code serves against the last released SDL.

`schema/released/vX.Y.Z.graphql` holds the SDL of each release (the newest version is the one
compared). graphql-core's `find_breaking_changes` lists what would break a client of that
release; each must be recorded in the API changelog (`CHANGELOG-API.md`) on a line beginning
`- BREAKING:` that quotes graphql-core's description of it, e.g.

    - BREAKING: Field Query.caseTimeline was removed. Use caseEvents (paged).

Dangerous changes (a new enum value, an argument's new default) are reported, not refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from graphql import build_schema
from graphql.utilities import find_breaking_changes, find_dangerous_changes

ROOT = Path(__file__).resolve().parent.parent
RELEASED = ROOT / "schema" / "released"
CHANGELOG = ROOT / "CHANGELOG-API.md"
MARK = "- BREAKING:"
_VERSION = re.compile(r"^v(\d+)\.(\d+)\.(\d+)\.graphql$")


@dataclass(frozen=True)
class Compatibility:
    released: Path
    breaking: tuple[str, ...]  # graphql-core's descriptions
    unrecorded: tuple[str, ...]  # the breaking changes the changelog does not name
    dangerous: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.unrecorded


def last_released(folder: Path = RELEASED) -> Path:
    versions = [(tuple(int(n) for n in m.groups()), p) for p in folder.glob("v*.graphql")
                if (m := _VERSION.match(p.name))]
    if not versions:
        raise FileNotFoundError(f"no released SDL (vX.Y.Z.graphql) in {folder}")
    return max(versions)[1]


def recorded(changelog: str) -> list[str]:
    """The changelog's lines that record a breaking change (at the start of a line: an
    indented example records nothing)."""
    return [line[len(MARK):].strip() for line in changelog.splitlines()
            if line.startswith(MARK)]


def compare(current_sdl: str, released: Path, changelog: str) -> Compatibility:
    old, new = build_schema(released.read_text("utf-8")), build_schema(current_sdl)
    breaking = tuple(c.description for c in find_breaking_changes(old, new))
    entries = recorded(changelog)
    unrecorded = tuple(d for d in breaking if not any(d in entry for entry in entries))
    dangerous = tuple(c.description for c in find_dangerous_changes(old, new))
    return Compatibility(released, breaking, unrecorded, dangerous)


def check(current_sdl: str | None = None, released: Path | None = None,
          changelog: Path = CHANGELOG) -> Compatibility:
    if current_sdl is None:
        from schema.build import sdl

        current_sdl = sdl()
    text = changelog.read_text("utf-8") if changelog.exists() else ""
    return compare(current_sdl, released or last_released(), text)
