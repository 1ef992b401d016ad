"""`flask photos sweep`: remove stored files that no photo row references.
`flask photos copy-to-s3`: copy the folder's files into the bucket and verify each one."""

import click
from flask.cli import with_appcontext

from app.config import ConfigError
from app.errors import DomainError
from app.inspections.photos import services
from app.inspections.photos.migration import copy_all


@click.group("photos", help="Bilder.")
def photos_cli():
    pass


@photos_cli.command("sweep")
@click.option("--older-than", default=3600, show_default=True, help="Grace period in seconds.")
@with_appcontext
def sweep_command(older_than):
    """Remove orphan files and leftovers of interrupted writes."""
    try:
        removed = services.sweep_orphans(older_than)
    except DomainError as error:  # the bucket is unreachable: say so, no traceback
        raise click.ClickException(error.detail) from error
    click.echo(f"Fjernet {len(removed)} filer.")


@photos_cli.command("copy-to-s3")
@with_appcontext
def copy_to_s3_command():
    """Copy every photo file of PHOTO_STORAGE_PATH into the PHOTO_S3_* bucket, skip those
    already there with the same content, and verify each by its SHA-256. Safe to run again."""
    try:
        target = services.bucket_storage()
    except ConfigError as error:
        message = "PHOTO_S3_BUCKET må være satt for å kopiere til bøtta."
        raise click.ClickException(message) from error
    try:
        report = copy_all(services.folder_storage(), target)
    except DomainError as error:
        raise click.ClickException(error.detail) from error
    for key in report.mismatched:
        click.echo(f"Sjekksummen stemmer ikke for {key}.", err=True)
    click.echo(
        f"Kopierte {len(report.copied)} filer, {len(report.unchanged)} lå der allerede med "
        f"samme innhold, {len(report.mismatched)} avvik."
    )
    if not report.ok:
        raise click.ClickException(
            f"{len(report.mismatched)} filer i bøtta har feil sjekksum. Kjør kommandoen på nytt, "
            "og sjekk lageret hvis avviket består."
        )
