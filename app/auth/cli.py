"""`flask users create`: provision accounts from the command line."""

import secrets

import click
from flask.cli import with_appcontext

from app.auth import services
from app.auth.roles import ROLES
from app.errors import DomainError
from app.extensions import db


@click.group("users", help="Brukere og roller.")
def users_cli():
    pass


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--name", default="")
@click.option("--password", help="For scripted provisioning; prompts when left out.")
@click.option("--generate", is_flag=True, help="Generate a password and print it once.")
@with_appcontext
def create(email, role, name, password, generate):
    """Create a user with a role."""
    if generate:
        password = secrets.token_urlsafe(12)
    elif password is None:
        password = click.prompt("Passord", hide_input=True, confirmation_prompt=True)
    try:
        user = services.create_user(email, role, password, name)
    except DomainError as error:
        db.session.rollback()
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in (error.errors or {}).items())
        raise click.ClickException(f"{error.detail} {details}".strip()) from error
    db.session.commit()
    click.echo(f"Opprettet {user.email} ({user.role}).")
    if generate:
        click.echo(f"Passord (vises bare nå): {password}")
