"""`pact-ledger token`, and the tokens `pact-ledger serve` prints for the demo.

Demo tokens are printed only when the server signs with the development key (no
`PACT_LEDGER_JWT_KEYS`): a server with real keys never writes usable tokens to its output.
"""

from __future__ import annotations

from datetime import timedelta

import click
from rich.console import Console

from ledger.authorization.roles import EU, Role, principal_problem
from ledger.envelope import Actor
from pact_ledger.security import JWT_KEYS, SecuritySettings
from pact_ledger.tokens import MAX_LIFETIME

DEMO_LIFETIME = timedelta(hours=12)

#: One principal per role for the demo: Italy's authorities, the EU-level auditor and
#: solidarity coordinator (the cycle's steps are the Union's).
DEMO_PRINCIPALS = (
    Actor("it-so-demo", Role.SCREENING_OFFICER.value, "IT Polizia di Stato", "IT"),
    Actor("it-cw-demo", Role.CASE_WORKER.value, "IT Commissione Territoriale Roma", "IT"),
    Actor("it-dm-demo", Role.DECISION_MAKER.value, "IT Commissione Territoriale Roma", "IT"),
    Actor("it-ab-demo", Role.APPEAL_BODY.value, "IT Tribunale di Roma", "IT"),
    Actor("it-ad-demo", Role.ADMINISTRATOR.value, "IT Ministero dell'Interno", "IT"),
    Actor("eu-au-demo", Role.AUDITOR.value, "European Court of Auditors", EU),
    Actor("eu-sc-demo", Role.SOLIDARITY_COORDINATOR.value, "European Commission", EU),
    Actor("it-dp-demo", Role.DATA_PROTECTION_OFFICER.value, "IT Ministero dell'Interno DPO",
          "IT"),
    Actor("it-fm-demo", Role.FUNDAMENTAL_RIGHTS_MONITOR.value, "IT Garante nazionale "
          "(independent monitoring mechanism)", "IT"),
)


def security_settings() -> SecuritySettings:
    try:
        return SecuritySettings.from_env()
    except (ValueError, OSError) as error:
        raise click.ClickException(f"security settings: {error}") from None


def print_demo_tokens(console: Console, security: SecuritySettings) -> None:
    console.print(f"[yellow]No {JWT_KEYS}: signing with the development key in the data "
                  "folder (local use only).[/] Demo tokens, valid for "
                  f"{int(DEMO_LIFETIME.total_seconds() // 3600)} h; send one as "
                  "'Authorization: Bearer <token>':")
    for actor in DEMO_PRINCIPALS:
        token = security.tokens.issue(actor, DEMO_LIFETIME)
        console.print(f"  {actor.role:<23} {actor.member_state:<3} {token}", highlight=False,
                      soft_wrap=True)


@click.command()
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--member-state", required=True,
              help="The member state the principal acts for (e.g. IT), or EU.")
@click.option("--subject", required=True, help="Who the principal is, e.g. it-cw-07.")
@click.option("--authority", default=None, help="The authority acting (default: from the "
                                                "member state and role).")
@click.option("--hours", default=8.0, show_default=True,
              type=click.FloatRange(0, MAX_LIFETIME.total_seconds() / 3600, min_open=True),
              help="Lifetime of the token.")
def token(role: str, member_state: str, subject: str, authority: str | None,
          hours: float) -> None:
    """Issue a bearer token for a principal (signed with the first of PACT_LEDGER_JWT_KEYS,
    or the development key), printed alone for use in scripts."""
    member_state = member_state.strip().upper()
    problem = principal_problem(role, member_state)
    if problem is not None:
        raise click.BadParameter(problem, param_hint="--role/--member-state")
    if not subject.strip() or len(subject) > 100:
        raise click.BadParameter("give a short, non-empty subject", param_hint="--subject")
    security = security_settings()
    if not security.accept_hs256:
        raise click.ClickException("PACT_LEDGER_JWKS is set without PACT_LEDGER_JWT_KEYS: the "
                                   "server accepts its identity provider's tokens only; get "
                                   "one there")
    actor = Actor(subject.strip(), role, authority or f"{member_state} {role.lower()}",
                  member_state)
    if security.development_key:
        click.echo(f"(signed with the development key: no {JWT_KEYS})", err=True)
    click.echo(security.tokens.issue(actor, timedelta(hours=hours)))
