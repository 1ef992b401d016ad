"""`flask webhooks deliver`: send the due deliveries now (for WEBHOOK_DISPATCHER=off);
`flask webhooks purge`: remove old entries of the delivery log."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.webhooks.dispatch import deliver_due
from app.webhooks.services import purge_log

webhooks_cli = AppGroup("webhooks", help="Webhook deliveries.")


@webhooks_cli.command("deliver")
def deliver() -> None:
    """Attempt every delivery that is due (retries included), once."""
    total = 0
    while attempted := deliver_due():
        total += attempted
    click.echo(f"{total} leveringsforsøk")


@webhooks_cli.command("purge")
@click.option("--older-than-days", type=click.IntRange(min=1), default=None)
def purge(older_than_days: int | None) -> None:
    """Remove delivered and failed deliveries older than WEBHOOK_LOG_RETENTION_DAYS."""
    days = older_than_days or current_app.config["WEBHOOK_LOG_RETENTION_DAYS"]
    count = purge_log(days)
    db.session.commit()
    click.echo(f"{count} leveranser slettet")
