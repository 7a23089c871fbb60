"""Clients for the API tests: one per persona, authenticated with a token as a real client would."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counters live in the cache, which outlives a test: each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    """A client that is not signed in."""
    return APIClient()


@pytest.fixture
def client_for(world):
    """``client_for(user)``: a client sending ``user``'s token; ``client_for(None)`` is anonymous."""

    def make(user):
        client = APIClient()
        if user is not None:
            token, _created = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
