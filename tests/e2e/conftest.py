"""The browser tests' fixtures live in tests/e2e/live.py: each test module imports them, so
the suite also runs with --noconftest. Shared here for any new module that forgets to."""

from tests.e2e.live import live_app, live_browser, phone  # noqa: F401
