"""`flask photos sweep`: remove stored files that no photo row references."""

import click
from flask.cli import with_appcontext

from app.inspections.photos import services


@click.group("photos", help="Bilder.")
def photos_cli():
    pass


@photos_cli.command("sweep")
@click.option("--older-than", default=3600, show_default=True, help="Grace period in seconds.")
@with_appcontext
def sweep_command(older_than):
    """Remove orphan files and leftovers of interrupted writes."""
    removed = services.sweep_orphans(older_than)
    click.echo(f"Fjernet {len(removed)} filer.")
