"""Sign in and out, who am I, API tokens."""

from flask import current_app, g, request
from flask.views import MethodView

from app.api.smorest import Blueprint
from app.auth import current, services
from app.auth.schemas import LoginSchema, MeSchema, TokenRequestSchema, TokenSchema

TOKEN_FIELDS = ("id", "name", "created_at", "expires_at", "parent_id", "revoked_at")
blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Innlogging")


def _me(user, csrf_token=None):
    return {
        "user": user,
        "auth_method": g.get("auth_method") or "session",
        "csrf_token": csrf_token,
    }


@blp.route("/login")
class Login(MethodView):
    @blp.public
    @blp.arguments(LoginSchema)
    @blp.response(200, MeSchema)
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, body):
        """Sign in with e-mail and password; sets the session cookie."""
        new = services.login(body["email"], body["password"], request.remote_addr)
        g.set_session_cookie = new
        g.auth_method = "session"
        return _me(new.user, new.csrf_token)


@blp.route("/logout")
class Logout(MethodView):
    @blp.auth_required()
    @blp.response(204)
    def post(self):
        """Sign out: ends the session and clears the cookie; with a bearer token, revokes
        that token (and the tokens minted with it)."""
        services.logout(g.get("auth_session"), g.get("api_token_id"))
        g.clear_session_cookie = True


@blp.route("/me")
class Me(MethodView):
    @blp.auth_required()
    @blp.response(200, MeSchema)
    def get(self):
        """Who am I: the signed-in user and role, and the CSRF token for writes."""
        session = g.get("auth_session")
        return _me(g.user, session.csrf_token if session else None)


@blp.route("/tokens")
class Tokens(MethodView):
    @blp.public
    @blp.arguments(TokenRequestSchema)
    @blp.response(201, TokenSchema)
    @blp.alt_response(401, response="UNAUTHORIZED")
    def post(self, body):
        """Issue a bearer token for an integration (signed in, or with e-mail and password).

        It expires after API_TOKEN_LIFETIME_DAYS; one issued with a token expires with it
        and is revoked with it."""
        if "email" in body and "password" in body:
            user = services.authenticate(body["email"], body["password"], request.remote_addr)
        else:
            user = current.require_user(csrf=True)
        token, secret = services.issue_token(user, body["name"], g.get("api_token_id"))
        return {"token": secret, **{k: getattr(token, k) for k in TOKEN_FIELDS}}


@blp.route("/tokens/<uuid:token_id>")
class TokenById(MethodView):
    @blp.auth_required()
    @blp.response(204)
    def delete(self, token_id):
        """Revoke a token (your own; administrators may revoke any)."""
        services.revoke_token(g.user, token_id)


def set_session_cookie(response):
    """Apply the cookie decided by the login/logout views (after the commit)."""
    config = current_app.config
    new = g.get("set_session_cookie")
    if new is not None:
        response.set_cookie(
            config["SESSION_COOKIE_NAME"],
            new.secret,
            expires=new.expires_at,
            httponly=True,
            secure=config["SESSION_COOKIE_SECURE"],
            samesite="Lax",
            path="/",
        )
    if g.get("clear_session_cookie"):
        response.delete_cookie(config["SESSION_COOKIE_NAME"], path="/")
    return response
