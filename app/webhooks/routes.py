"""Webhook subscriptions, their deliveries and resending: administrators only."""

from flask import g
from flask.views import MethodView
from sqlalchemy import select

from app.api.smorest import Blueprint, Page
from app.auth.roles import ADMIN
from app.webhooks import services
from app.webhooks.events import EVENTS
from app.webhooks.models import WebhookDelivery, WebhookSubscription
from app.webhooks.schemas import (
    CreatedSubscriptionSchema,
    DeliveryDetailSchema,
    DeliveryQuerySchema,
    DeliverySchema,
    EventTypeSchema,
    SubscriptionInputSchema,
    SubscriptionSchema,
)

blp = Blueprint("webhooks", __name__, url_prefix="/api/v1/webhooks", description="Webhooks")


@blp.route("/events")
class EventTypes(MethodView):
    @blp.auth_required(ADMIN)
    @blp.response(200, EventTypeSchema(many=True))
    def get(self):
        """The events a subscription may ask for, with the members of their `data`."""
        return [{"name": k, "description": d, "data": list(m)} for k, (d, m) in EVENTS.items()]


@blp.route("")
class Subscriptions(MethodView):
    @blp.auth_required(ADMIN)
    @blp.response(200, SubscriptionSchema(many=True))
    @blp.paginate(Page)
    def get(self):
        """List the subscriptions (secrets are never shown again)."""
        return select(WebhookSubscription).order_by(WebhookSubscription.id)

    @blp.auth_required(ADMIN)
    @blp.arguments(SubscriptionInputSchema)
    @blp.response(201, CreatedSubscriptionSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_CONTENT")
    def post(self, data):
        """Subscribe a URL to events; the answer carries the signing secret, this once."""
        return services.create_subscription(g.user, data)


@blp.route("/<int:subscription_id>")
class SubscriptionById(MethodView):
    @blp.auth_required(ADMIN)
    @blp.response(200, SubscriptionSchema)
    def get(self, subscription_id):
        """Read a subscription."""
        return services.get_subscription(subscription_id)

    @blp.auth_required(ADMIN)
    @blp.arguments(SubscriptionInputSchema(partial=True))
    @blp.response(200, SubscriptionSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_CONTENT")
    def patch(self, data, subscription_id):
        """Change the URL, events, description, secret or pause it (`active`)."""
        return services.update_subscription(services.get_subscription(subscription_id), data)

    @blp.auth_required(ADMIN)
    @blp.response(204)
    def delete(self, subscription_id):
        """Delete a subscription with its delivery log."""
        services.delete_subscription(services.get_subscription(subscription_id))


@blp.route("/<int:subscription_id>/ping")
class Ping(MethodView):
    @blp.auth_required(ADMIN)
    @blp.response(202, DeliverySchema)
    def post(self, subscription_id):
        """Queue a `webhook.ping` event to this subscription only."""
        return services.ping(services.get_subscription(subscription_id))


@blp.route("/<int:subscription_id>/deliveries")
class Deliveries(MethodView):
    @blp.auth_required(ADMIN)
    @blp.arguments(DeliveryQuerySchema, location="query")
    @blp.response(200, DeliverySchema(many=True))
    @blp.paginate(Page)
    def get(self, query, subscription_id):
        """The subscription's deliveries, newest first; filter by status or event."""
        services.get_subscription(subscription_id)
        stmt = select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
        for name, value in query.items():
            stmt = stmt.where(getattr(WebhookDelivery, name) == value)
        return stmt.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id)


@blp.route("/deliveries/<uuid:delivery_id>")
class DeliveryById(MethodView):
    @blp.auth_required(ADMIN)
    @blp.response(200, DeliveryDetailSchema)
    def get(self, delivery_id):
        """A delivery with its body and every attempt (time, status code, error, duration)."""
        return services.get_delivery(delivery_id)


@blp.route("/deliveries/<uuid:delivery_id>/resend")
class Resend(MethodView):
    @blp.auth_required(ADMIN)
    @blp.response(202, DeliverySchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, delivery_id):
        """Send the delivery again (same id and body: receivers may deduplicate on it)."""
        return services.resend(services.get_delivery(delivery_id))
