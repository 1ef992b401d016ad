"""`flask demo seed`: a small, realistic demo municipality. Idempotent."""

import click
from flask import current_app
from flask.cli import with_appcontext

from app.demo import seed
from app.extensions import db


@click.group("demo", help="Demodata.")
def demo_cli():
    pass


@demo_cli.command("seed")
@click.option("--units", default=600, show_default=True, help="Number of units to create.")
@with_appcontext
def seed_command(units):
    """Create demo users, register, inspections and applicants (skips what exists)."""
    if current_app.config["APP_ENV"] == "production":
        raise click.ClickException(
            "Demodata legges ikke inn i produksjon (APP_ENV=production): demobrukere med "
            "kjente roller og oppdiktede søkere hører ikke hjemme i et ekte register."
        )
    created = seed.seed_users()
    db.session.commit()
    for step in seed.STEPS:
        step(units=units)
        db.session.commit()
    if created:
        click.echo("Demobrukere (passordene vises bare nå):")
        for email, role, password in created:
            click.echo(f"  {email:<32} {role:<20} {password}")
    else:
        click.echo("Demobrukerne finnes fra før; passordene er uendret.")
