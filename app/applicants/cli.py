"""`flask applicants purge`: erase closed cases after the retention period."""

import click
from flask.cli import with_appcontext

from app.applicants import services
from app.extensions import db


@click.group("applicants", help="Søkere.")
def applicants_cli():
    pass


@applicants_cli.command("purge")
@with_appcontext
def purge_command():
    """Erase housed or withdrawn applicants older than APPLICANT_RETENTION_DAYS."""
    count = services.purge()
    db.session.commit()
    click.echo(f"Slettet {count} avsluttede søkere.")
