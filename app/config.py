"""Configuration from environment variables, with safe defaults for local use.

Every variable is documented in the README. `APP_ENV` decides the defaults: `production`
(the default, strict), `development`, `demo` or `testing`.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ENVIRONMENTS = ("production", "development", "demo", "testing")


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on", "ja")


def _int(env: dict, name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc


PHOTO_STORAGES = ("folder", "s3")


def check_photo_storage(kind: str, bucket: str | None) -> None:
    """Refuse an unknown backend, or a bucket backend without a bucket (checked at start, and
    again where the storage is built, for settings given another way)."""
    if kind not in PHOTO_STORAGES:
        raise ConfigError(f"PHOTO_STORAGE must be folder or s3, got {kind!r}")
    if kind == "s3" and not bucket:
        raise ConfigError("PHOTO_S3_BUCKET must be set when PHOTO_STORAGE=s3")


def load_config(instance_path: str, env: dict | None = None) -> dict:
    """Build the Flask config mapping from environment variables."""
    env = dict(os.environ if env is None else env)
    app_env = env.get("APP_ENV", "production").strip().lower()
    if app_env not in ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}, got {app_env!r}")
    strict = app_env == "production"

    secret_key = env.get("SECRET_KEY", "")
    if not secret_key:
        if strict:
            raise ConfigError("SECRET_KEY must be set in production (APP_ENV=production)")
        secret_key = secrets.token_hex(32)
    elif strict and len(secret_key) < 32:
        raise ConfigError("SECRET_KEY must be at least 32 characters in production")

    instance = Path(instance_path)
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'uu-bolig.db'}"

    dispatcher = env.get("WEBHOOK_DISPATCHER") or ("off" if app_env == "testing" else "thread")
    if dispatcher not in ("thread", "off"):
        raise ConfigError(f"WEBHOOK_DISPATCHER must be thread or off, got {dispatcher!r}")

    photo_storage = (env.get("PHOTO_STORAGE") or "folder").strip().lower()
    check_photo_storage(photo_storage, env.get("PHOTO_S3_BUCKET"))

    report_zip_max_units = _int(env, "REPORT_ZIP_MAX_UNITS", 15)
    if report_zip_max_units < 1:
        raise ConfigError(f"REPORT_ZIP_MAX_UNITS must be at least 1, got {report_zip_max_units}")

    return {
        "APP_ENV": app_env,
        "TESTING": app_env == "testing",
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PHOTO_STORAGE": photo_storage,
        "PHOTO_STORAGE_PATH": env.get("PHOTO_STORAGE_PATH") or str(instance / "photos"),
        "PHOTO_S3_BUCKET": env.get("PHOTO_S3_BUCKET") or None,
        "PHOTO_S3_ENDPOINT_URL": env.get("PHOTO_S3_ENDPOINT_URL") or None,
        "PHOTO_S3_REGION": env.get("PHOTO_S3_REGION") or None,
        "PHOTO_S3_PREFIX": env.get("PHOTO_S3_PREFIX") or "",
        "PHOTO_KEEP_ORIGINAL": _bool(env.get("PHOTO_KEEP_ORIGINAL"), False),
        "PHOTO_MAX_PIXELS": _int(env, "PHOTO_MAX_PIXELS", 60_000_000),
        "MAX_CONTENT_LENGTH": _int(env, "UPLOAD_MAX_BYTES", 25 * 1024 * 1024),
        "JSON_MAX_BYTES": _int(env, "JSON_MAX_BYTES", 4 * 1024 * 1024),
        "CHECKLISTS_PATH": env.get("CHECKLISTS_PATH")
        or str(Path(__file__).resolve().parent.parent / "checklists"),
        "DISTRICTS": [
            d.strip()
            for d in env.get(
                "DISTRICTS", "Sentrum,Brødløs,Tistedal,Idd,Berg,Iddefjord,Rokke,Kornsjø"
            ).split(",")
            if d.strip()
        ],
        "SESSION_COOKIE_NAME": "uu_session",
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE"), strict),
        "SESSION_LIFETIME_HOURS": _int(env, "SESSION_LIFETIME_HOURS", 12),
        "LOGIN_FREE_FAILURES_PER_ACCOUNT": _int(env, "LOGIN_FREE_FAILURES_PER_ACCOUNT", 5),
        "LOGIN_FREE_FAILURES_PER_ADDRESS": _int(env, "LOGIN_FREE_FAILURES_PER_ADDRESS", 20),
        "LOGIN_MAX_DELAY_SECONDS": _int(env, "LOGIN_MAX_DELAY_SECONDS", 900),
        "LOGIN_FAILURE_WINDOW_SECONDS": _int(env, "LOGIN_FAILURE_WINDOW_SECONDS", 900),
        "APPROVAL_FOUR_EYES": _bool(env.get("APPROVAL_FOUR_EYES"), True),
        "API_TOKEN_LIFETIME_DAYS": _int(env, "API_TOKEN_LIFETIME_DAYS", 90),
        "APPLICANT_RETENTION_DAYS": _int(env, "APPLICANT_RETENTION_DAYS", 365),
        "REPORT_ZIP_MAX_UNITS": report_zip_max_units,
        "TRUST_PROXY_HEADERS": _bool(env.get("TRUST_PROXY_HEADERS"), False),
        "WEBHOOK_DISPATCHER": dispatcher,
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": _bool(env.get("WEBHOOK_ALLOW_PRIVATE_TARGETS"), False),
        "WEBHOOK_ALLOWED_HOSTS": [
            h.strip().lower() for h in env.get("WEBHOOK_ALLOWED_HOSTS", "").split(",") if h.strip()
        ],
        "WEBHOOK_TIMEOUT_SECONDS": _int(env, "WEBHOOK_TIMEOUT_SECONDS", 10),
        "WEBHOOK_MAX_ATTEMPTS": _int(env, "WEBHOOK_MAX_ATTEMPTS", 10),
        "WEBHOOK_RETRY_BASE_SECONDS": _int(env, "WEBHOOK_RETRY_BASE_SECONDS", 60),
        "WEBHOOK_POLL_SECONDS": _int(env, "WEBHOOK_POLL_SECONDS", 15),
        "WEBHOOK_LOG_RETENTION_DAYS": _int(env, "WEBHOOK_LOG_RETENTION_DAYS", 90),
        "BABEL_DEFAULT_LOCALE": "nb",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent / "translations"),
        "JSON_SORT_KEYS": False,
        # flask-smorest / OpenAPI
        "API_TITLE": "UU-bolig",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
    }
