"""Command-line tools for personal data: the erasure job, erasure on request, subject access
and master-key rotation. Keys are never printed (only their ids)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from uuid import UUID

import click
from rich.console import Console

from ledger.authorization.roles import principal_problem
from ledger.envelope import Actor
from ledger.errors import LedgerError
from ledger.personal_data.bases import ERASURE_BASES
from pact_ledger.erasure import erase_case, erase_person
from pact_ledger.erasure import erase_due as run_erase_due
from pact_ledger.master_keys import new_master_key_text

console = Console()
def _officer(subject: str, member_state: str, authority: str) -> Actor:
    problem = principal_problem("DATA_PROTECTION_OFFICER", member_state)
    if problem is not None:
        raise click.BadParameter(problem, param_hint="--member-state")
    return Actor(id=subject, role="DATA_PROTECTION_OFFICER", authority=authority,
                 member_state=member_state)


_officer_options = [
    click.option("--subject", required=True, help="Who asks (recorded as the actor)."),
    click.option("--member-state", default="EU", show_default=True,
                 help="The officer's member state (scope), or EU."),
    click.option("--authority", default="Data protection officer", show_default=True),
]


def _with_officer(fn):  # type: ignore[no-untyped-def]
    for option in reversed(_officer_options):
        fn = option(fn)
    return fn


@click.command("erase-due")
@click.option("--today", help="Erase what is due by this ISO date (default: today, UTC).")
def erase_due(today: str | None) -> None:
    """Erase the personal data whose Eurodac retention period (Art 29) has ended, recording
    each erasure; finishes erasures a crash interrupted. Idempotent: run it as often as you
    like (the server also runs it hourly, PACT_LEDGER_ERASURE_INTERVAL)."""
    from pact_ledger.cli import _container

    with _container() as container:
        run = run_erase_due(container, today)
    console.print(f"Erased the personal data of {len(run.erased)} cases; finished "
                  f"{len(run.finished)} interrupted erasures.")
    for case_id, why in run.refused:
        console.print(f"[yellow]not erased[/] {case_id}: {why}", highlight=False)


@click.command("erase")
@click.option("--case", "case_id", help="One case.")
@click.option("--person", "person_id", help="Every case of one person.")
@click.option("--basis", required=True, type=click.Choice(
    [b.code for b in ERASURE_BASES.values() if b.on_request]),
    help="The legal basis (recorded): NATURALISATION (Eurodac Art 29(4)) or "
         "DATA_SUBJECT_REQUEST (GDPR Art 17).")
@_with_officer
def erase(case_id: str | None, person_id: str | None, basis: str, subject: str,
          member_state: str, authority: str) -> None:
    """Erase personal data on request (data protection officer), with the legal basis."""
    from pact_ledger.cli import _container

    if (case_id is None) == (person_id is None):
        raise click.UsageError("give exactly one of --case and --person")
    actor = _officer(subject, member_state, authority)
    with _container() as container:
        if case_id is not None:
            try:
                erased = erase_case(container, _uuid(case_id, "--case"), ERASURE_BASES[basis],
                                    actor)
            except LedgerError as refusal:
                raise click.ClickException(refusal.message) from None
            console.print("Erased." if erased else "Already erased (nothing recorded again).")
            return
        run = erase_person(container, str(_uuid(person_id or "", "--person")),
                           ERASURE_BASES[basis], actor)
    console.print(f"Erased the personal data of {len(run.erased)} cases.")
    for refused, why in run.refused:
        console.print(f"[yellow]not erased[/] {refused}: {why}", highlight=False)
    if not run.erased and not run.refused:
        raise click.ClickException("no case of that person in your scope, or all erased")


@click.command("subject-access")
@click.argument("person_id")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output).")
@_with_officer
def subject_access(person_id: str, out: Path | None, subject: str, member_state: str,
                   authority: str) -> None:
    """Everything the ledger holds about one person, as JSON (GDPR Art 15): their cases,
    events, personal data (or when and why they were erased) and who read them. Written to
    the access log first."""
    from pact_ledger.cli import _container
    from projections.subject_access import SubjectAccess

    actor = _officer(subject, member_state, authority)
    with _container() as container:
        container.runner.catch_up()
        document = SubjectAccess(container.reads, container.personal, container.access_log,
                                 actor).export(str(_uuid(person_id, "PERSON_ID")),
                                               "cli:subject-access")
    if document is None:
        raise click.ClickException(f"no case of person {person_id} in your scope")
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    console.print(f"Wrote {len(document['cases'])} cases to {out} (owner-only).")


@click.command("rewrap-keys")
def rewrap_keys() -> None:
    """Rewrap every data key under the first master key of PACT_LEDGER_MASTER_KEYS (rotation:
    put the new key first, run this, then remove the old key)."""
    from pact_ledger.cli import _container

    with _container() as container:
        count = container.keystore.rewrap()
        in_use = container.keystore.master_kids_in_use()
    console.print(f"Rewrapped {count} data keys; master keys in use: "
                  + (", ".join(f"{kid} ({n})" for kid, n in in_use.items()) or "none"))


@click.command("new-master-key")
@click.option("--kid", required=True, help="The new key's id, e.g. master-2027.")
def new_master_key(kid: str) -> None:
    """Print a new master key entry `KID:BASE64` to put first in PACT_LEDGER_MASTER_KEYS."""
    click.echo(new_master_key_text(kid))


def _uuid(value: str, hint: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise click.BadParameter("not a UUID", param_hint=hint) from None
