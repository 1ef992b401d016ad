"""`flask checklists publish`: validate and publish the definitions in `checklists/`."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.checklists import services
from app.errors import DomainError
from app.extensions import db


@click.group("checklists", help="Sjekklister, profiler og tiltak.")
def checklists_cli():
    pass


@checklists_cli.command("publish")
@click.option("--path", type=click.Path(exists=True, file_okay=False), default=None)
@with_appcontext
def publish_command(path):
    """Validate every file and publish new versions (published ones are immutable)."""
    directory = Path(path or current_app.config["CHECKLISTS_PATH"])
    try:
        outcomes = services.publish(directory)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    for o in outcomes:
        status = "publisert" if o.status == "published" else "uendret"
        click.echo(f"{o.file_name:<28} v{o.version}  {status}")
