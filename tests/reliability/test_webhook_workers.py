"""Webhooks with several gunicorn workers: every worker runs a dispatcher, they race for the
same outbox rows, and each delivery still reaches the receiver exactly once."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import func, select

from app.extensions import db
from app.webhooks import services as webhooks
from app.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from tests.databases import scratch_database
from tests.reliability.fixtures import build_app
from tests.reliability.servers import Gunicorn
from tests.webhooks.receiver import Receiver

DELIVERIES = 40


def test_three_workers_send_each_delivery_once(tmp_path):
    receiver = Receiver()
    with scratch_database(tmp_path, prefix="uu_hooks") as url:
        app = build_app(url, tmp_path)
        with app.app_context():
            subscription = WebhookSubscription(
                url=receiver.url,
                events=["assessment.approved"],
                secret=webhooks.signing.new_secret(),
            )
            db.session.add(subscription)
            db.session.flush()
            for unit_id in range(DELIVERIES):
                webhooks.emit("assessment.approved", {"unit_id": unit_id})
            db.session.commit()
            db.session.remove()
        env = {
            "APP_ENV": "testing",
            "DATABASE_URL": url,
            "PHOTO_STORAGE_PATH": str(tmp_path / "photos"),
            "WEBHOOK_DISPATCHER": "thread",
            "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
            "WEBHOOK_POLL_SECONDS": "1",
        }
        server = Gunicorn(env, workers=3, threads=2).start()
        try:
            # Traffic reaches every worker, which starts its dispatcher on its first request.
            with ThreadPoolExecutor(6) as pool:
                list(pool.map(lambda _: requests.get(f"{server.url}/healthz"), range(30)))
            received = receiver.wait_for(DELIVERIES, timeout=60)
            time.sleep(2.5)  # two more polls by every worker: nothing is sent again
        finally:
            server.stop()
            receiver.close()
        ids = [r.id for r in receiver.received]
        assert len(ids) == DELIVERIES, f"{len(received)} received"
        assert len(set(ids)) == DELIVERIES  # no delivery sent twice
        with app.app_context():
            statuses = db.session.execute(
                select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)
            ).all()
            assert statuses == [("delivered", DELIVERIES)]
            attempts = db.session.scalar(select(func.count()).select_from(WebhookAttempt))
            assert attempts == DELIVERIES
            db.session.remove()
            db.engine.dispose()
