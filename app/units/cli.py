"""`flask units import FILE`: the same import as the API, from the command line."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.errors import DomainError
from app.extensions import db
from app.units import importer


@click.group("units", help="Boligregisteret.")
def units_cli():
    pass


@units_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate and report only.")
@with_appcontext
def import_command(file: Path, dry_run: bool):
    """Import units from a CSV or XLSX export (all rows or nothing)."""
    try:
        report = importer.import_units(
            file.read_bytes(), file.name, current_app.config["DISTRICTS"], dry_run=dry_run
        )
    except DomainError as error:
        db.session.rollback()
        report = error.extra.get("report")
        if report:
            _print(report)
        raise click.ClickException(error.detail) from error
    db.session.commit()
    _print(report)


def _print(report: dict) -> None:
    for problem in report["problems"]:
        column = f" [{problem['column']}]" if problem["column"] else ""
        click.echo(f"linje {problem['line']}{column}: {problem['message']}")
    if report["unknown_columns"]:
        click.echo("Ukjente kolonner: " + ", ".join(report["unknown_columns"]))
    summary = ", ".join(f"{k}: {v}" for k, v in report["summary"].items())
    click.echo(("Prøvekjøring: " if report["dry_run"] else "Importert: ") + summary)
