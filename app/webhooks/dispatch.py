"""Sending the outbox: claim a due delivery, POST it signed, log the attempt, back off.

Why an outbox table with a dispatcher thread per process: the delivery row is written in the
transaction of the change, so nothing is sent for a rolled-back change and nothing is lost
when a process dies after the commit. After a commit that queued deliveries, the process's
dispatcher thread wakes at once (an approval reaches the receiver within a second or so); it
also polls every WEBHOOK_POLL_SECONDS for retries that fell due and for rows other processes
or the command line queued. With several gunicorn workers every worker runs a dispatcher;
each claims a delivery with a conditional UPDATE (a lease), so one attempt is made by one
worker, and a worker killed mid-send leaves a lease that expires and another one retries.
Delivery is at least once: receivers deduplicate on `webhook-id`. `flask webhooks deliver`
sends what is due from the command line (WEBHOOK_DISPATCHER=off: no threads, a timer instead).
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import threading
import time
from datetime import timedelta

from flask import Flask, current_app, has_request_context
from sqlalchemy import event, func, insert, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.extensions import db
from app.timeutil import utcnow
from app.webhooks import signing, targets
from app.webhooks.models import DELIVERED, FAILED, PENDING, WebhookAttempt, WebhookDelivery
from app.webhooks.services import DUE_FLAG, policy

log = logging.getLogger(__name__)

USER_AGENT = "UU-bolig-webhooks/1"
MAX_DELAY_SECONDS = 6 * 3600


def backoff(attempts: int, base: float) -> float:
    """Seconds before the next try after `attempts` failed ones: base, 2 base, 4 base, ..."""
    return min(base * 2 ** (attempts - 1), MAX_DELAY_SECONDS)


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()


def headers_for(delivery: WebhookDelivery, body: bytes, now: int) -> dict:
    message_id = str(delivery.id)
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": message_id,
        "webhook-timestamp": str(now),
        "webhook-signature": signing.sign(delivery.subscription.secret, message_id, now, body),
    }


def _due():
    now = utcnow()
    return (
        WebhookDelivery.status == PENDING,
        WebhookDelivery.next_attempt_at <= now,
        or_(WebhookDelivery.locked_until.is_(None), WebhookDelivery.locked_until < now),
    )


def _claim(delivery_id, lease: float) -> bool:
    claimed = db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, *_due())
        .values(locked_until=utcnow() + timedelta(seconds=lease))
    )
    db.session.commit()
    return claimed.rowcount == 1


def deliver_due(limit: int = 50) -> int:
    """Attempt every due delivery this process can claim; returns how many were attempted."""
    config = current_app.config
    timeout = config["WEBHOOK_TIMEOUT_SECONDS"]
    ids = db.session.scalars(
        select(WebhookDelivery.id)
        .where(*_due())
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(limit)
    ).all()
    db.session.commit()  # no transaction stays open while a receiver answers
    attempted = 0
    for delivery_id in ids:
        if not _claim(delivery_id, lease=timeout + 30):
            continue  # another process has it
        attempt(db.session.get(WebhookDelivery, delivery_id))
        attempted += 1
    return attempted


def attempt(delivery: WebhookDelivery) -> None:
    """One POST of a claimed delivery, logged; the delivery is then delivered, due again
    later, or failed when its attempts are used up (or its target is refused)."""
    config = current_app.config
    # Everything is read before the call, while this process holds the claim; afterwards
    # the result is written without reading first (SQLite: a read transaction that turns
    # into a write fails at once when another process wrote meanwhile).
    delivery_id, url, attempts = delivery.id, delivery.subscription.url, delivery.attempts + 1
    body = body_of(delivery)
    headers = headers_for(delivery, body, int(time.time()))
    number = 1 + (
        db.session.scalar(
            select(func.max(WebhookAttempt.number)).where(WebhookAttempt.delivery_id == delivery_id)
        )
        or 0
    )
    db.session.commit()  # no transaction stays open while the receiver answers
    started = time.monotonic()
    status_code, error, final = None, None, False
    try:
        reply = targets.post(url, body, headers, policy(), config["WEBHOOK_TIMEOUT_SECONDS"])
        status_code = reply.status
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}"
    except targets.TargetRefused as exc:
        error, final = f"target refused: {exc}", True
    except TimeoutError:
        error = "timeout"
    except (OSError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    duration = int((time.monotonic() - started) * 1000)
    outcome = {
        "attempts": attempts,
        "last_status_code": status_code,
        "last_error": error,
        "locked_until": None,
    }
    if error is None:
        outcome.update(status=DELIVERED, delivered_at=utcnow(), next_attempt_at=None)
    elif final or attempts >= config["WEBHOOK_MAX_ATTEMPTS"]:
        outcome.update(status=FAILED, next_attempt_at=None)
    else:
        delay = backoff(attempts, config["WEBHOOK_RETRY_BASE_SECONDS"])
        outcome.update(next_attempt_at=utcnow() + timedelta(seconds=delay))
    logged = {
        "delivery_id": delivery_id,
        "number": number,
        "at": utcnow(),
        "status_code": status_code,
        "error": error,
        "duration_ms": duration,
    }
    _record(delivery_id, logged, outcome)
    if error:
        log.info("webhook %s attempt %s to %s failed: %s", delivery_id, number, url, error)


def _record(delivery_id, logged: dict, outcome: dict, tries: int = 5) -> None:
    """Write the attempt and the delivery's new state; a busy database is tried again (the
    claim holds meanwhile, so no other process sends the delivery)."""
    for n in range(tries):
        try:
            db.session.execute(insert(WebhookAttempt).values(**logged))
            db.session.execute(
                update(WebhookDelivery).where(WebhookDelivery.id == delivery_id).values(**outcome)
            )
            db.session.commit()
            return
        except OperationalError:
            db.session.rollback()
            if n == tries - 1:
                raise
            time.sleep(0.2 * (n + 1))


class Dispatcher:
    """The per-process background sender (started lazily, again after a fork)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.wake = threading.Event()
        self.pid: int | None = None
        self.lock = threading.Lock()
        self.stopped = False
        self.thread: threading.Thread | None = None

    def nudge(self) -> None:
        self.ensure_running()
        self.wake.set()

    def ensure_running(self) -> None:
        if self.pid == os.getpid():
            return
        with self.lock:
            if self.pid == os.getpid():
                return
            self.pid = os.getpid()
            self.thread = threading.Thread(target=self._run, name="webhooks", daemon=True)
            self.thread.start()

    def stop(self, timeout: float = 15) -> None:
        """Let the thread finish what it is sending and end (servers embedded in tests)."""
        self.stopped = True
        self.wake.set()
        if self.thread is not None:
            self.thread.join(timeout)

    def _run(self) -> None:
        poll = self.app.config["WEBHOOK_POLL_SECONDS"]
        while not self.stopped:
            self.wake.wait(poll)
            self.wake.clear()
            if self.stopped:
                return
            with self.app.app_context():
                try:
                    while deliver_due() and not self.stopped:
                        pass
                except Exception:  # the thread must outlive a database hiccup
                    log.exception("webhook dispatch failed")
                finally:
                    db.session.remove()


def init_app(app: Flask) -> None:
    if app.config["WEBHOOK_DISPATCHER"] != "thread":
        return
    dispatcher = app.extensions["webhooks"] = Dispatcher(app)
    # Pending retries are picked up once a process serves its first request.
    app.before_request(dispatcher.ensure_running)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    """A commit that queued deliveries wakes this process's dispatcher (request processes
    only: a command-line process may exit before sending; a server picks its rows up)."""
    if not session.info.pop(DUE_FLAG, False) or not has_request_context():
        return
    dispatcher = current_app.extensions.get("webhooks")
    if dispatcher is not None:
        dispatcher.nudge()
