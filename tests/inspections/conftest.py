"""Callers signed in with the roles the inspection tests act as."""

import pytest


@pytest.fixture
def inspector(as_role):
    return as_role("inspector")


@pytest.fixture
def manager(as_role):
    return as_role("facility_manager")
