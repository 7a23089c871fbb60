"""The OpenAPI schema is valid and complete; the documentation pages load nothing from elsewhere."""

import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

EXTERNAL_URL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


def test_the_schema_generates_without_warnings_or_errors(tmp_path):
    target = tmp_path / "schema.yaml"

    # --fail-on-warn turns every warning drf-spectacular would print into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    schema = yaml.safe_load(target.read_text())
    assert set(schema["paths"]) >= {
        "/api/auth/token/",
        "/api/v1/organizations/",
        "/api/v1/organizations/{id}/",
        "/api/v1/people/",
        "/api/v1/people/{id}/",
        "/api/v1/programs/",
        "/api/v1/programs/{slug}/",
        "/api/v1/regions/",
        "/api/v1/regions/{code}/",
        "/api/v1/municipalities/",
    }
    organization = schema["paths"]["/api/v1/organizations/{id}/"]
    assert {"get", "put", "patch"} <= set(organization)
    assert "delete" not in organization
    assert "409" in schema["paths"]["/api/v1/organizations/"]["post"]["responses"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_schema_is_served_to_members_only(world, client_for):
    response = client_for(world.funder).get(reverse("api:schema"))

    assert response.status_code == 200
    assert b"/api/v1/organizations/" in response.content
    assert client_for(None).get(reverse("api:schema")).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["api:docs", "api:redoc"])
def test_the_documentation_pages_use_only_local_files(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert not EXTERNAL_URL.search(html), EXTERNAL_URL.search(html)
    assert "googleapis" not in html and "jsdelivr" not in html and "unpkg" not in html


@pytest.mark.django_db
def test_swagger_ui_does_not_call_the_public_validator(client):
    html = client.get(reverse("api:docs")).content.decode()

    assert '"validatorUrl": null' in html
