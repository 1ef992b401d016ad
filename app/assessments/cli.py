"""`flask scores rebuild`: rescore every unit after new profiles or measures are published."""

import time

import click
from flask.cli import with_appcontext

from app.assessments import services
from app.extensions import db


@click.group("scores", help="Vurderinger.")
def scores_cli():
    pass


@scores_cli.command("rebuild")
@click.option("--batch-size", default=500, show_default=True)
@with_appcontext
def rebuild_command(batch_size):
    """Rescore every current assessment with the newest published definitions."""
    started = time.perf_counter()

    def progress(done, total):
        db.session.commit()
        click.echo(f"\r{done}/{total}", nl=False)

    count = services.rebuild_all(batch_size, progress)
    db.session.commit()
    click.echo(f"\nOmberegnet {count} boliger på {time.perf_counter() - started:.1f} s.")
