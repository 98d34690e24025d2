"""Property-based fuzzing of the GraphQL API from its SDL (hypothesis-graphql), over real HTTP
against the ASGI app, on both backends, with a valid token of every role: no 5xx, no internal
error, nothing of the internals in any answer (traceback, SQL, Python exception names), and no
write answered as an error (a mutation that runs answers with a typed result)."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import graphql
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries

from ledger.authorization.policy import RESETTLEMENT_UNION_LEVEL, UNION_LEVEL, WRITES
from ledger.case.aggregate import Case
from pact_ledger.wiring import Container
from schema.build import SDL_PATH
from schema.cases.mutations import CASE_MUTATIONS
from schema.deadlines.mutations import CRISIS_MUTATIONS
from schema.resettlement.mutations import RESETTLEMENT_MUTATIONS
from schema.solidarity.mutations import SOLIDARITY_MUTATIONS
from tests.e2e.conftest import serving, token
from tests.support.acting import principal
from tests.support.fault_figures import add
from tests.support.flows import rejected_with_return, screened_applicant

SDL = graphql.build_schema(SDL_PATH.read_text(encoding="utf-8"))
TYPE_NAMES = set(SDL.type_map)
#: Every role, at the levels it exists at (case roles only in a member state).
PRINCIPALS = [("SCREENING_OFFICER", "IT"), ("CASE_WORKER", "IT"), ("DECISION_MAKER", "IT"),
              ("APPEAL_BODY", "IT"), ("AUDITOR", "IT"), ("AUDITOR", "EU"),
              ("SOLIDARITY_COORDINATOR", "DE"), ("SOLIDARITY_COORDINATOR", "EU"),
              ("ADMINISTRATOR", "EU"), ("CASE_WORKER", "DE")]
EXAMPLES = 60  # per backend, for queries and for mutations each


def _commands() -> dict[str, type]:
    """Mutation name -> the command it records (the schema's explicit tables)."""
    steps = [*SOLIDARITY_MUTATIONS, *CRISIS_MUTATIONS, *RESETTLEMENT_MUTATIONS]
    return {**CASE_MUTATIONS, **{step.name: step.command for step in steps}}


def _recorder(command: type) -> tuple[str, str]:
    """A principal whose role may record `command` (half of the mutations are sent as one, so
    that some pass the role check and reach the rules, and some are recorded)."""
    role = sorted(r.value for r in WRITES[command])[0]
    union = command in UNION_LEVEL or command in RESETTLEMENT_UNION_LEVEL
    level = "EU" if union or role == "ADMINISTRATOR" else "IT"
    return role, level


RECORDERS = {name: _recorder(command) for name, command in _commands().items()}
#: One root field per document (a document of many mutations is many commands: slow, and no
#: more telling), every root field in turn.
QUERY_FIELDS = sorted(SDL.query_type.fields)  # type: ignore[union-attr]
MUTATION_FIELDS = sorted(SDL.mutation_type.fields)  # type: ignore[union-attr]

#: The cases the `api` fixture records (case ids are deterministic from the reference).
CASES = [("IT", "IT-FUZZ-1"), ("IT", "IT-FUZZ-2"), ("DE", "DE-FUZZ-1")]
CASE_IDS = [str(Case.create_id(ms, ref)) for ms, ref in CASES]
#: Free text, biased towards values the ledger accepts so that some writes are recorded.
_TEXT = st.one_of(
    st.sampled_from(["SY", "AF", "XX", "GR", "ar", "fa", "Lampedusa", "rights", "IT-NEW-1",
                     "APR", "Art 27", "CATEGORY", "SF-9", *CASE_IDS]),
    st.text(st.characters(codec="utf-8"), max_size=40))

_OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
SCALARS = {
    "ID": st.one_of(st.sampled_from(CASE_IDS), _TEXT).map(nodes.String),
    "String": _TEXT.map(nodes.String),
    "DateTime": st.one_of(
        st.datetimes(datetime(2026, 4, 1), datetime(2026, 11, 1), timezones=_OFFSETS),
        st.datetimes(timezones=_OFFSETS)).map(lambda d: d.isoformat()).map(nodes.String),
    "Date": st.dates().map(lambda d: d.isoformat()).map(nodes.String),
    "Cents": st.one_of(st.integers(0, 10**15).map(str), st.text(max_size=8)).map(nodes.String),
    "Decimal": st.decimals(allow_nan=False, allow_infinity=False, places=4).map(
        str).map(nodes.String),
}

#: What must never reach a client.
LEAKS = re.compile(r"Traceback|File \"|line \d+, in|\bsqlite3?\b|psycopg|\bpg_|"
                   r"\b(SELECT|INSERT INTO|DELETE FROM)\b|\bUPDATE \w+ SET\b|"
                   r"\b[A-Z][A-Za-z]*(Error|Exception)\b")


def leaks(text: str) -> list[str]:
    found = []
    for match in LEAKS.finditer(text):
        word = match.group(0)
        if word not in TYPE_NAMES:  # a schema type such as FieldError is not an internal
            found.append(word)
    return found


@pytest.fixture
def api(container: Container) -> Any:
    screened_applicant(container.ledger, CASES[0][1])
    rejected_with_return(container.ledger, CASES[1][1])
    screened_applicant(container.ledger, CASES[2][1], ms="DE")
    container.runner.catch_up()
    tokens = {p: f"Bearer {token(principal(*p))}"
              for p in {*PRINCIPALS, *RECORDERS.values()}}
    with serving(container) as url, httpx.Client(base_url=url, timeout=60) as http:
        yield http, tokens


def check(http: httpx.Client, authorization: str, document: str, mutation: bool) -> None:
    response = http.post("/graphql", json={"query": document},
                         headers={"authorization": authorization})
    add("fuzz requests")
    assert response.status_code < 500, (document, response.text)
    assert not leaks(response.text), (leaks(response.text), document, response.text)
    body = response.json()
    errors = body.get("errors") or []
    assert not [e for e in errors if (e.get("extensions") or {}).get("code") ==
                "INTERNAL_ERROR"], (document, errors)
    for error in errors:
        add("fuzz errors: " + str((error.get("extensions") or {}).get("code", "GRAPHQL")))
    data = body.get("data")
    if mutation and isinstance(data, dict):
        for field, value in data.items():
            add("fuzz mutations run")
            at_field = [e for e in errors if (e.get("path") or [None])[0] == field]
            assert value is not None and not at_field, (document, errors)
            if isinstance(value, dict) and "__typename" in value:
                add(f"fuzz mutation results: {value['__typename']}")


#: CI replays the same examples (a submission lands or not on its own merits); a developer's
#: run explores new ones each time and prints the falsifying document when one fails.
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=IN_CI,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def _fuzz_queries(api: Any, data: st.DataObject) -> None:
    http, tokens = api
    who = data.draw(st.sampled_from(PRINCIPALS))
    field = data.draw(st.sampled_from(QUERY_FIELDS))
    document = data.draw(queries(SDL, fields=[field], custom_scalars=SCALARS))
    check(http, tokens[who], document, mutation=False)


@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=IN_CI,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def _fuzz_mutations(api: Any, data: st.DataObject) -> None:
    http, tokens = api
    field = data.draw(st.sampled_from(MUTATION_FIELDS))
    who = data.draw(st.one_of(st.just(RECORDERS[field]), st.sampled_from(PRINCIPALS)))
    document = data.draw(mutations(SDL, fields=[field], custom_scalars=SCALARS))
    check(http, tokens[who], document, mutation=True)


def test_generated_queries_of_every_role(api: Any) -> None:
    _fuzz_queries(api)


def test_generated_mutations_of_every_role(api: Any, container: Container) -> None:
    before = container.ledger.recorder.max_notification_id() or 0
    _fuzz_mutations(api)
    container.runner.catch_up()
    assert container.reads.integrity.verify_ledger().valid
    add("fuzz events recorded", (container.ledger.recorder.max_notification_id() or 0) - before)


def test_the_leak_check_can_fail() -> None:
    assert leaks('Traceback (most recent call last):\n  File "x.py", line 3, in f')
    assert leaks("psycopg.errors.UndefinedColumn: SELECT x FROM y")
    assert leaks("KeyError: 'a'") and not leaks("FieldError InvalidInput")
    assert datetime.now(UTC)  # (timezone-aware clock: the SCALARS use real offsets)


def test_every_mutation_of_the_schema_has_a_recorder() -> None:
    """A feature whose mutations are missing from `_commands` would fail the fuzzing only when
    one of its fields is drawn: say so at once."""
    assert set(MUTATION_FIELDS) == set(RECORDERS)
