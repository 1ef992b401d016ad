"""Webhooks: signed event notifications to the systems an administrator subscribes.

Events are written to an outbox (`webhook_deliveries`) in the transaction of the change they
tell about and sent after it commits (see `dispatch.py`)."""
