"""The committed SDL is the contract front ends build against: it must match the code."""

from schema.build import SDL_PATH, sdl


def test_schema_file_matches_code() -> None:
    assert SDL_PATH.read_text(encoding="utf-8") == sdl(), (
        "schema/schema.graphql is stale: run `pact-ledger export-schema` and commit it"
    )
