"""Every command the ledger handles has exactly one mutation, named in a feature's table: a new
command without a mutation (or a table entry without a handler) fails here."""

from collections import Counter

from graphql import build_schema

from ledger.handlers import COMMAND_HANDLERS
from ledger.reference_data.commands import REFERENCE_COMMANDS
from schema.build import sdl
from schema.cases.mutations import CASE_MUTATIONS
from schema.deadlines.mutations import CRISIS_MUTATIONS
from schema.resettlement.mutations import RESETTLEMENT_MUTATIONS
from schema.solidarity.mutations import SOLIDARITY_MUTATIONS

#: Published reference figures are loaded by an operator from the command line
#: (`pact-ledger load-recognition-rates`), not recorded through the API.
CLI_ONLY = frozenset(REFERENCE_COMMANDS)

TABLES: list[tuple[str, type]] = [
    *CASE_MUTATIONS.items(),
    *((step.name, step.command) for step in CRISIS_MUTATIONS),
    *((step.name, step.command) for step in SOLIDARITY_MUTATIONS),
    *((step.name, step.command) for step in RESETTLEMENT_MUTATIONS),
]


def test_every_handled_command_has_one_mutation() -> None:
    commands = Counter(command for _, command in TABLES)
    assert [c.__name__ for c, n in commands.items() if n > 1] == []
    assert sorted(c.__name__ for c in set(COMMAND_HANDLERS) - set(commands) - CLI_ONLY) == []
    assert sorted(c.__name__ for c in set(commands) - set(COMMAND_HANDLERS)) == []


def test_the_tables_are_the_mutation_root() -> None:
    mutation = build_schema(sdl()).mutation_type
    assert mutation is not None
    assert list(mutation.fields) == [name for name, _ in TABLES]
