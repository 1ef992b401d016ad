"""Subscriptions (administrators), events into the outbox, and resending a delivery."""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from app.audit import services as audit
from app.errors import Conflict, NotFound, Unprocessable
from app.extensions import db
from app.timeutil import utcnow
from app.webhooks import signing, targets
from app.webhooks.events import EVENTS, PING
from app.webhooks.models import (
    DELIVERED,
    FAILED,
    PENDING,
    WebhookDelivery,
    WebhookSubscription,
)

DUE_FLAG = "webhooks_due"  # set on the session when it holds new deliveries


def policy() -> targets.Policy:
    config = current_app.config
    return targets.Policy(
        allow_http=config["APP_ENV"] != "production",
        allow_private=config["WEBHOOK_ALLOW_PRIVATE_TARGETS"],
        allowed_hosts=tuple(config["WEBHOOK_ALLOWED_HOSTS"]),
    )


def _check_url(url: str) -> None:
    try:
        targets.parse(url, policy())
    except targets.TargetRefused as exc:
        raise Unprocessable(
            "Adressen kan ikke brukes for webhooks.", errors={"url": [str(exc)]}
        ) from exc


def _check_secret(secret: str) -> None:
    try:
        signing.key_of(secret)
    except ValueError as exc:
        raise Unprocessable("Hemmeligheten er ugyldig.", errors={"secret": [str(exc)]}) from exc


def get_subscription(subscription_id: int) -> WebhookSubscription:
    subscription = db.session.get(WebhookSubscription, subscription_id)
    if subscription is None:
        raise NotFound("Abonnementet finnes ikke.")
    return subscription


def create_subscription(actor, data: dict) -> WebhookSubscription:
    _check_url(data["url"])
    secret = data.get("secret") or signing.new_secret()
    _check_secret(secret)
    subscription = WebhookSubscription(
        url=data["url"],
        events=sorted(set(data["events"])),
        secret=secret,
        description=data.get("description"),
        active=data.get("active", True),
        created_by_id=actor.id,
    )
    db.session.add(subscription)
    db.session.flush()
    audit.record("webhook.created", "webhook_subscription", subscription.id)
    return subscription


def update_subscription(subscription: WebhookSubscription, data: dict) -> WebhookSubscription:
    if "url" in data:
        _check_url(data["url"])
    if data.get("secret"):
        _check_secret(data["secret"])
    for name in ("url", "description", "active", "secret"):
        if name in data and (name != "secret" or data[name]):
            setattr(subscription, name, data[name])
    if "events" in data:
        subscription.events = sorted(set(data["events"]))
    audit.record(
        "webhook.updated", "webhook_subscription", subscription.id, details={"fields": sorted(data)}
    )
    db.session.flush()
    return subscription


def delete_subscription(subscription: WebhookSubscription) -> None:
    audit.record("webhook.deleted", "webhook_subscription", subscription.id)
    db.session.delete(subscription)
    db.session.flush()


def emit(event: str, data: dict, *, only: WebhookSubscription | None = None) -> list:
    """Queue the event for every active subscription that asked for it (in this
    transaction: a rolled-back change sends nothing); sent after the commit."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event}")
    if only is not None:
        subscribers = [only]
    else:
        subscribers = [
            s
            for s in db.session.scalars(
                select(WebhookSubscription).where(WebhookSubscription.active.is_(True))
            )
            if event in s.events
        ]
    now = utcnow()
    deliveries = []
    for subscription in subscribers:
        delivery_id = uuid.uuid4()
        payload = {
            "id": str(delivery_id),
            "type": event,
            "occurred_at": now.isoformat().replace("+00:00", "Z"),
            "data": data,
        }
        deliveries.append(
            WebhookDelivery(
                id=delivery_id,
                subscription_id=subscription.id,
                event=event,
                payload=payload,
                status=PENDING,
                next_attempt_at=now,
            )
        )
    if deliveries:
        db.session.add_all(deliveries)
        db.session.info[DUE_FLAG] = True
    return deliveries


def ping(subscription: WebhookSubscription) -> WebhookDelivery:
    return emit(PING, {"subscription_id": subscription.id}, only=subscription)[0]


def get_delivery(delivery_id: uuid.UUID) -> WebhookDelivery:
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        raise NotFound("Leveringen finnes ikke.")
    return delivery


def resend(delivery: WebhookDelivery) -> WebhookDelivery:
    """Send the same delivery (same id, same body) again, now, with a fresh attempt budget."""
    if delivery.status == PENDING and delivery.attempts == 0:
        raise Conflict("Leveringen venter allerede på å bli sendt.")
    delivery.status = PENDING
    delivery.next_attempt_at = utcnow()
    delivery.locked_until = None
    delivery.attempts = 0  # attempts of this round; the log keeps numbering every attempt
    audit.record("webhook.resent", "webhook_delivery", delivery.id)
    db.session.info[DUE_FLAG] = True
    db.session.flush()
    return delivery


def purge_log(days: int) -> int:
    """Remove delivered and failed deliveries (with their attempts) older than `days`."""
    cutoff = utcnow() - timedelta(days=days)
    result = db.session.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.status.in_((DELIVERED, FAILED)), WebhookDelivery.created_at < cutoff
        )
    )
    return result.rowcount
