"""Tokens: a client signs in with an e-mail address and a password, then sends the token."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from virage.api.auth import INVALID_CREDENTIALS

# The password every factory-made user has (see virage/core/tests/factories.py).
PASSWORD = "motdepasse-solide-123"
TOKEN_URL = reverse("api:token")
ORGANIZATIONS_URL = reverse("api:organization-list")


def test_a_member_exchanges_email_and_password_for_a_token_that_opens_the_api(world, api_client):
    response = api_client.post(TOKEN_URL, {"email": "Gestion@Virage.test", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=world.manager).key
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api_client.get(ORGANIZATIONS_URL).status_code == 200


def test_asking_twice_gives_the_same_token(world, api_client):
    credentials = {"email": world.manager.email, "password": PASSWORD}
    first = api_client.post(TOKEN_URL, credentials, format="json").json()["token"]
    second = api_client.post(TOKEN_URL, credentials, format="json").json()["token"]

    assert first == second


def test_a_wrong_password_gets_the_sign_in_page_message_and_no_token(world, api_client):
    response = api_client.post(TOKEN_URL, {"email": world.manager.email, "password": "nope"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [str(INVALID_CREDENTIALS)]}
    assert not Token.objects.filter(user=world.manager).exists()


def test_an_inactive_account_gets_no_token(world, api_client):
    world.manager.is_active = False
    world.manager.save()

    response = api_client.post(TOKEN_URL, {"email": world.manager.email, "password": PASSWORD}, format="json")

    assert response.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"email": "not-an-address", "password": PASSWORD},
        {"email": ["gestion@virage.test"], "password": PASSWORD},
        {"email": "gestion@virage.test", "password": {"x": 1}},
        {"email": "a" * 10_000 + "@virage.test", "password": PASSWORD},
    ],
)
def test_malformed_credentials_get_400(world, api_client, body):
    assert api_client.post(TOKEN_URL, body, format="json").status_code == 400


def test_password_guessing_is_throttled(world, api_client):
    statuses = [
        api_client.post(TOKEN_URL, {"email": world.manager.email, "password": f"guess-{n}"}, format="json").status_code
        for n in range(12)
    ]

    assert statuses[:10] == [400] * 10
    assert statuses[10:] == [429, 429]


def test_password_guessing_against_one_account_is_throttled_across_addresses(world, api_client):
    statuses = [
        api_client.post(
            TOKEN_URL,
            {"email": world.manager.email, "password": f"guess-{n}"},
            format="json",
            REMOTE_ADDR=f"10.0.0.{n}",
        ).status_code
        for n in range(11)
    ]

    assert statuses[-1] == 429


def test_anonymous_requests_get_401_with_the_token_scheme(api_client, world):
    response = api_client.get(ORGANIZATIONS_URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_made_up_token_gets_401(api_client, world):
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    assert api_client.get(ORGANIZATIONS_URL).status_code == 401
