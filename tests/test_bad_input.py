"""Bad input never gives a 500: garbage in every query string and form body, on every page."""

import pytest
from django.urls import reverse

from tests.test_permission_matrix import urls

GARBAGE = {
    "q": "é" * 5000,
    "page": "-1",
    "region": "99999999999999999999",
    "mrc": "abc",
    "program": "' OR 1=1 --",
    "kind": "\x00",
    "sort": "__class__",
    "status": ["a", "b"],
    "legal_name": "x" * 10_000,
    "usual_name": "🙂" * 300,
    "municipality": "(" * 200,
    "neq": "1" * 1000,
    "charity_number": "RR" * 500,
    "postal_code": "🙂",
    "website": "javascript:alert(1)",
    "email": "not-an-email" * 50,
    "role": "superuser",
    "regions": ["x", "-5"],
    "organizations": ["99999999999999999999"],
    "language": "klingon",
    "into": "1e400",
    "starts_on": "2026-02-30",
    "ends_on": "yesterday",
    "operator": "NaN",
    "partners": ["", "0"],
    "file": "not a file",
    "mode": "everything",
    "organizations_sensitized": "Infinity",
    "coaching_hours": "1e999999",
    "program-program": "0",
    "organization-legal_name": "x" * 10_000,
    "contact-email": "@",
    "confirm_similar": "maybe",
    "reason": "x" * 100_000,
}


@pytest.mark.parametrize("persona", ["admin", "manager", "contact_other_organization", "anonymous"])
def test_no_page_answers_500_to_garbage(client, world, persona):
    user = world.personas[persona]
    if user is not None:
        client.force_login(user)
    client.raise_request_exception = False
    for name, (kwargs, expected_get, expected_post) in urls(world).items():
        url = reverse(name.split("#")[0], kwargs=kwargs)
        if expected_get is not None:
            for params in (GARBAGE, {"q": "nul\x00", "search": "\x00", "page": "\x00"}):
                response = client.get(url, params)
                assert response.status_code < 500, (name, "GET", response.status_code)
        if expected_post is not None:
            response = client.post(url, GARBAGE)
            assert response.status_code < 500, (name, "POST", response.status_code)
