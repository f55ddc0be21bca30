"""``coop-formation token create EMAIL``: a personal API token, printed once."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from coop_formation.api import tokens
from coop_formation.cli.base import fail
from coop_formation.errors import DomainError
from coop_formation.extensions import db
from coop_formation.people.models import Member


@click.group("token", help="Jetons d'accès personnels à l'API /api/v1.")
def token_command() -> None:
    pass


@token_command.command("create")
@click.argument("email")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice(tokens.PERSONAL_SCOPES),
    help="Portée (répétable) ; par défaut toutes.",
)
@click.option("--days", type=int, default=tokens.DEFAULT_DAYS, show_default=True)
@with_appcontext
def create(email: str, scopes: tuple[str, ...], days: int) -> None:
    """Create a token for EMAIL and print it once (only its hash is kept)."""
    member = db.session.scalar(
        sa.select(Member).where(sa.func.lower(Member.email) == email.lower())
    )
    if member is None:
        fail(f"aucun membre avec l'adresse {email}")
    try:
        created = tokens.create_personal_token(db.session, member, list(scopes), days=days)
    except DomainError as exc:
        db.session.rollback()
        fail(exc.message or str(exc))
    db.session.commit()
    click.echo(created.token)
    click.echo(
        f"Jeton n°{created.record.id}, portées : {created.record.scopes}, "
        f"expire le {created.record.expires_at:%Y-%m-%d}. Il ne sera plus affiché.",
        err=True,
    )


@token_command.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def revoke(token_id: int) -> None:
    """Revoke token TOKEN_ID (as printed by ``token create``)."""
    try:
        tokens.revoke_token_by_id(db.session, token_id)
    except DomainError as exc:
        db.session.rollback()
        fail(exc.message or str(exc))
    db.session.commit()
    click.echo(f"Jeton n°{token_id} révoqué.")
