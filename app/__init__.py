"""UU-bolig: universal-design audit of municipal dwellings."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from app import db_statistics  # noqa: F401  (SQLite statistics: pool listeners)
from app.api.smorest import Api
from app.config import load_config
from app.extensions import babel, db, migrate

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: config from the environment, then small named steps."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_config(app.instance_path))
    app.config.update(overrides or {})
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["TRUST_PROXY_HEADERS"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    init_logging(app)
    init_extensions(app)
    register_api(app)
    register_web(app)
    register_cli(app)
    return app


def init_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s"
        )


def _select_locale() -> str:
    return request.accept_languages.best_match(["nb", "en"]) or "nb"


def init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS, compare_type=True, render_as_batch=True)
    babel.init_app(app, locale_selector=_select_locale)
    # One Api per app (flask-smorest keeps the spec on it); reach it via app.extensions.
    api = Api(
        app,
        spec_kwargs={"info": {"description": "API for universell utforming av kommunale boliger."}},
    )
    api.spec.components.security_scheme(
        "cookieAuth", {"type": "apiKey", "in": "cookie", "name": app.config["SESSION_COOKIE_NAME"]}
    )
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})


@event.listens_for(Engine, "connect")
def _connection_settings(dbapi_connection, _record):
    """SQLite: WAL, foreign keys on, and let SQLAlchemy drive transactions (savepoints work).

    PostgreSQL: plan every statement for its own values. The driver prepares a statement
    after a few runs, and PostgreSQL may then switch to one generic plan for all values; a
    search for a word in 16 units and one in 60,000 need different plans (the generic one
    made register searches several times slower)."""
    module = type(dbapi_connection).__module__
    if module.startswith("psycopg"):
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_custom_plan")
        dbapi_connection.commit()
    elif module.startswith("sqlite3"):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    """SQLite: an explicit BEGIN, except on AUTOCOMMIT connections (ANALYZE, VACUUM), whose
    statements must take effect at once, not in a transaction that closing rolls back. A write
    request begins IMMEDIATE, taking the database's write lock before its first read: writers
    then run one after another and what a request reads, and re-checks after "locking" a row,
    cannot change before it commits (a deferred transaction would read an old snapshot and fail
    only when it first writes). Reads stay concurrent."""
    if connection.dialect.name != "sqlite":
        return
    dbapi_connection = connection.connection.dbapi_connection
    dbapi_connection.isolation_level = None  # the dialect resets it after AUTOCOMMIT use
    if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
        writing = has_request_context() and request.method not in SAFE_METHODS
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def register_api(app: Flask) -> None:
    from app.api import problems
    from app.applicants.routes import blp as applicants_blp
    from app.assessments.routes import blp as assessments_blp
    from app.audit.routes import blp as audit_blp
    from app.auth.routes import blp as auth_blp
    from app.auth.users import blp as users_blp
    from app.checklists.routes import blp as checklists_blp
    from app.health.routes import blp as health_blp
    from app.inspections.photos.routes import blp as photos_blp
    from app.inspections.routes import blp as inspections_blp
    from app.planning.routes import blp as planning_blp
    from app.reports.routes import blp as reports_blp
    from app.scoring.routes import blp as scoring_blp
    from app.units.routes import buildings, units
    from app.webhooks.routes import blp as webhooks_blp

    api = app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    problems.register_error_handlers(app)
    for blueprint in (
        health_blp,
        auth_blp,
        users_blp,
        audit_blp,
        checklists_blp,
        scoring_blp,
        buildings,
        units,
        inspections_blp,
        photos_blp,
        assessments_blp,
        applicants_blp,
        planning_blp,
        reports_blp,
        webhooks_blp,
    ):
        api.register_blueprint(blueprint)
    from app.assessments import subscriptions
    from app.webhooks import dispatch

    subscriptions.connect()
    dispatch.init_app(app)


def register_web(app: Flask) -> None:
    from app.api.docs import bp as docs_bp
    from app.pwa.routes import bp as pwa_bp
    from app.web.hooks import register_hooks

    app.register_blueprint(docs_bp)
    app.register_blueprint(pwa_bp)
    register_hooks(app)


def register_cli(app: Flask) -> None:
    from app.applicants.cli import applicants_cli
    from app.assessments.cli import scores_cli
    from app.auth.cli import users_cli
    from app.backup.cli import backup_cli
    from app.checklists.cli import checklists_cli
    from app.demo.cli import demo_cli
    from app.inspections.photos.cli import photos_cli
    from app.units.cli import units_cli
    from app.webhooks.cli import webhooks_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(checklists_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(scores_cli)
    app.cli.add_command(photos_cli)
    app.cli.add_command(applicants_cli)
    app.cli.add_command(units_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(webhooks_cli)
