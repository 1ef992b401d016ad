"""A harness for races through real HTTP: the app served by gunicorn (several workers and
threads), one bearer token per actor or device, requests released together by a barrier."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass

import requests
from flask import Flask
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth import services as auth
from app.extensions import db

PROBLEM = "application/problem+json"


def devices(app: Flask, role: str, count: int = 1) -> list[dict]:
    """One user of `role` with `count` bearer tokens (one per device): Authorization headers."""
    with app.app_context():
        user = auth.create_user(f"{role}-{uuid.uuid4().hex[:8]}@race.kommune.no", role, "x" * 20)
        secrets = [auth.issue_token(user, f"enhet {n}")[1] for n in range(count)]
        db.session.commit()
    return [{"Authorization": f"Bearer {secret}"} for secret in secrets]


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    headers: dict
    json: object = None


@dataclass
class Server:
    app: Flask
    url: str

    def call(self, call: Call, session: requests.Session | None = None) -> requests.Response:
        send = (session or requests).request
        return send(
            call.method, self.url + call.path, headers=call.headers, json=call.json, timeout=60
        )

    def ok(self, call: Call) -> dict:
        response = self.call(call)
        assert response.status_code in (200, 201), (call, response.status_code, response.text)
        return response.json() | {"etag": response.headers.get("ETag")}

    def at_once(self, calls: list[Call]) -> list[requests.Response]:
        """Send every call from its own thread and connection, released at the same moment."""
        barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

        def run(index: int) -> None:
            with requests.Session() as session:
                session.get(f"{self.url}/healthz", timeout=30)  # connect before the barrier
                barrier.wait()
                results[index] = self.call(calls[index], session)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)
        assert all(r is not None for r in results), "a request did not finish"
        return results

    def events(self, action: str, object_id) -> int:
        """How many audit events of `action` the object has."""
        with self.app.app_context():
            count = db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == action, AuditEvent.object_id == str(object_id))
            )
            db.session.remove()
        return count


def statuses(responses: list[requests.Response]) -> list[int]:
    return sorted(r.status_code for r in responses)


def losers_are_problems(responses: list[requests.Response], status: int) -> None:
    for response in responses:
        if response.status_code == status:
            assert response.headers["Content-Type"].startswith(PROBLEM), response.text
