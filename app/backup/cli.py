"""`flask backup create|verify|restore`: the database and the photo files in one archive."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.backup import services
from app.errors import DomainError
from app.extensions import db
from app.inspections.photos import services as photos
from app.timeutil import utcnow


@click.group("backup", help="Sikkerhetskopi og gjenoppretting.")
def backup_cli():
    pass


def _photos() -> services.Photos:
    """The folder as a Path (read as files, as it always was), or the bucket through the
    photo storage interface."""
    if current_app.config.get("PHOTO_STORAGE") == "s3":
        return photos.storage()
    return Path(current_app.config["PHOTO_STORAGE_PATH"])


@backup_cli.command("create")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Archive path (default: instance/backups/uu-bolig-<time>.tar.gz).",
)
@with_appcontext
def create_command(output: Path | None):
    """Back up the database and the photo files into one .tar.gz with checksums."""
    if output is None:
        stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
        output = Path(current_app.instance_path) / "backups" / f"uu-bolig-{stamp}.tar.gz"
    try:
        manifest = services.create_backup(db.engine, _photos(), output)
    except services.BackupError as error:
        raise click.ClickException(str(error)) from error
    except DomainError as error:  # the bucket is unreachable: say so, no traceback
        raise click.ClickException(error.detail) from error
    click.echo(f"Sikkerhetskopi skrevet: {output} ({len(manifest['files'])} filer)")


@backup_cli.command("verify")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def verify_command(archive: Path):
    """Check an archive's checksums without restoring anything."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        try:
            manifest = services.verify(archive, Path(tmp))
        except services.BackupError as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"Arkivet er helt: {len(manifest['files'])} filer, laget {manifest['created_at']}")


@backup_cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite a target that already holds data.")
@with_appcontext
def restore_command(archive: Path, force: bool):
    """Verify an archive, then restore it into this instance's database and photo storage."""
    db.session.remove()
    try:
        restored = services.restore_backup(archive, db.engine, _photos(), force=force)
    except services.BackupError as error:
        raise click.ClickException(str(error)) from error
    except DomainError as error:
        raise click.ClickException(error.detail) from error
    click.echo(
        f"Gjenopprettet databasen (revisjon {restored.revision}) og {restored.files} bilder."
    )
    click.echo("Kjør `flask db upgrade` hvis programvaren er nyere enn sikkerhetskopien.")
