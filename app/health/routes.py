"""Liveness and readiness for the process supervisor and the load balancer."""

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask.views import MethodView
from sqlalchemy import text

from app.api.smorest import Blueprint
from app.errors import ServiceUnavailable
from app.extensions import db
from app.health.schemas import HealthSchema

blp = Blueprint("health", __name__, description="Drift")


def migration_heads() -> set[str]:
    migrate_ext = current_app.extensions["migrate"]
    config = migrate_ext.migrate.get_config(migrate_ext.directory)
    return set(ScriptDirectory.from_config(config).get_heads())


@blp.route("/healthz")
class Health(MethodView):
    @blp.public
    @blp.response(200, HealthSchema)
    def get(self):
        """The process is alive."""
        return {"status": "ok"}


@blp.route("/readyz")
class Ready(MethodView):
    @blp.public
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def get(self):
        """The database answers and its schema is at the newest migration."""
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(connection).get_current_heads())
        if current != migration_heads():
            raise ServiceUnavailable("Databasen er ikke migrert til nyeste versjon.")
        return {"status": "ready", "revision": ",".join(sorted(current))}
