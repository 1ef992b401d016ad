"""WSGI entry point: `gunicorn wsgi:app` (see README for production settings)."""

from app import create_app

app = create_app()
