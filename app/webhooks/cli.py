"""`flask webhooks deliver`: send the due deliveries now (for WEBHOOK_DISPATCHER=off)."""

import click
from flask.cli import AppGroup

from app.webhooks.dispatch import deliver_due

webhooks_cli = AppGroup("webhooks", help="Webhook deliveries.")


@webhooks_cli.command("deliver")
def deliver() -> None:
    """Attempt every delivery that is due (retries included), once."""
    total = 0
    while attempted := deliver_due():
        total += attempted
    click.echo(f"{total} leveringsforsøk")
