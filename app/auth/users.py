"""User administration (administrators): list, create, change role or deactivate."""

from flask.views import MethodView
from marshmallow import fields, validate
from sqlalchemy import select

from app.api.smorest import Blueprint, Page, Schema
from app.audit import services as audit
from app.auth import services
from app.auth.models import User
from app.auth.roles import ADMIN, ROLES
from app.errors import NotFound
from app.extensions import db

blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="Brukere")


class UserAdminSchema(Schema):
    id = fields.Integer(dump_only=True)
    email = fields.String(required=True, validate=validate.Length(3, 254))
    name = fields.String(load_default="", validate=validate.Length(max=200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    active = fields.Boolean(dump_only=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(10, 1024))
    created_at = fields.DateTime(dump_only=True)


class UserPatchSchema(Schema):
    name = fields.String(validate=validate.Length(max=200))
    role = fields.String(validate=validate.OneOf(ROLES))
    active = fields.Boolean()


@blp.route("")
class Users(MethodView):
    @blp.auth_required(ADMIN)
    @blp.response(200, UserAdminSchema(many=True))
    @blp.paginate(Page)
    def get(self):
        """List users and their roles."""
        return select(User).order_by(User.email)

    @blp.auth_required(ADMIN)
    @blp.arguments(UserAdminSchema)
    @blp.response(201, UserAdminSchema)
    def post(self, data):
        """Create a user with a role."""
        return services.create_user(data["email"], data["role"], data["password"], data["name"])


@blp.route("/<int:user_id>")
class UserById(MethodView):
    @blp.auth_required(ADMIN)
    @blp.arguments(UserPatchSchema)
    @blp.response(200, UserAdminSchema)
    def patch(self, data, user_id):
        """Change a user's name or role, or deactivate the account."""
        user = db.session.get(User, user_id)
        if user is None:
            raise NotFound("Brukeren finnes ikke.")
        for name, value in data.items():
            setattr(user, name, value)
        audit.record("user.updated", "user", user.id, details=data)
        db.session.flush()
        return user
