"""Every persona × every URL, GET and POST, with the status each must get.

Adding a URL pattern without adding it to MATRIX makes ``test_every_url_is_in_the_matrix`` fail.
Expected values: an HTTP status, or "login" for a redirect to the sign-in page; "redirect" for any
other redirect (a successful POST).
"""

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

PERSONAS = (
    "admin",
    "manager",
    "coordinator_other_region",
    "coach",
    "reviewer",
    "funder",
    "contact_other_organization",
    "outsider",
    "anonymous",
)

# Shorthands for rows: the same answer for a group of personas.
STAFF = ("admin", "manager")
SIGNED_IN = tuple(p for p in PERSONAS if p != "anonymous")


def row(default, **overrides):
    """Expected answer per persona: ``default`` unless overridden; anonymous is "login" by default."""
    expected = dict.fromkeys(PERSONAS, default)
    expected["anonymous"] = "login"
    expected.update(overrides)
    return expected


def by(personas, value, default):
    expected = row(default)
    for persona in personas:
        expected[persona] = value
    return expected


# Apps add their own rows from a module of theirs: a function (world, row, by) -> {name: (kwargs, get, post)}.
ROW_MODULES = (
    "virage.events.tests.matrix_staff",
    "virage.events.tests.matrix_public",
    "virage.indicators.tests.matrix",
    "virage.api.tests.matrix_events",
    "virage.learning.tests.matrix",
    "virage.api.tests.matrix_learning",
    "virage.diagnostics.tests.matrix",
    "virage.api.tests.matrix_diagnostics",
)


def _app_rows(world):
    import importlib

    rows = {}
    for module_name in ROW_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            # Only a module that does not exist yet is skipped; an import error inside one is not.
            if not module_name.startswith(str(error.name)):
                raise
            continue
        rows.update(module.rows(world, row=row, by=by))
    return rows


# URL name -> (kwargs, expected GET, expected POST). None: derived from the other method (see _derived).
def urls(world):
    return {**_core_urls(world), **_app_rows(world)}


def _core_urls(world):
    org_mtl = world.org_montreal.pk
    org_qc = world.org_quebec.pk
    person_mtl = world.person_montreal.pk
    return {
        "home": ({}, row(200), None),
        "core:privacy": ({}, row(200, anonymous=200), None),
        "accounts:login": ({}, row("redirect", anonymous=200), None),
        "accounts:logout": ({}, None, row("redirect", anonymous="redirect")),
        "accounts:set_language": ({}, None, row("redirect", anonymous="redirect")),
        "accounts:profile": ({}, row(200), None),
        "accounts:api_token": ({}, None, row("redirect")),
        "accounts:password_reset": ({}, row(200, anonymous=200), None),
        "accounts:password_reset_done": ({}, row(200, anonymous=200), row(405, anonymous=405)),
        "accounts:password_reset_confirm": ({"uidb64": "MQ", "token": "invalid-token"}, row(200, anonymous=200), None),
        "accounts:password_reset_complete": ({}, row(200, anonymous=200), row(405, anonymous=405)),
        "organizations:list": (
            {},
            row(200, reviewer=403, funder=403, outsider=403),
            None,
        ),
        "organizations:export": (
            {"file_format": "csv"},
            row(200, reviewer=403, funder=403, outsider=403),
            None,
        ),
        "organizations:create": ({}, by(("admin", "manager", "coordinator_other_region"), 200, 404), None),
        "organizations:registrations": ({}, by(("admin", "manager", "coordinator_other_region"), 200, 404), None),
        "organizations:import": ({}, by(("admin", "manager", "coordinator_other_region"), 200, 404), None),
        "organizations:import_preview": ({"token": "unknown"}, row(404), None),
        "organizations:import_rejects": ({"token": "unknown"}, row(404), None),
        # The Montréal organization: seen by program staff; not by the coordinator of another region,
        # not by the coach or contact of another organization.
        "organizations:detail": ({"pk": org_mtl}, by(STAFF, 200, 404), None),
        "organizations:edit": ({"pk": org_mtl}, by(STAFF, 200, 404), by(STAFF, 200, 404)),
        "organizations:archive": ({"pk": org_mtl}, None, by(STAFF, "redirect", 404)),
        "organizations:restore": ({"pk": org_mtl}, None, row(404)),
        "organizations:validate": ({"pk": org_mtl}, None, row(404)),
        "organizations:merge": ({"pk": org_mtl}, row(404), row(404)),
        "organizations:person_create": ({"pk": org_mtl}, by(STAFF, 200, 404), by(STAFF, 200, 404)),
        "organizations:person_detail": ({"pk": person_mtl}, by(STAFF, 200, 404), None),
        "organizations:person_edit": ({"pk": person_mtl}, by(STAFF, 200, 404), by(STAFF, 200, 404)),
        # The Quebec organization: its coordinator, coach and contact see it too.
        "organizations:detail#quebec": (
            {"pk": org_qc},
            by(("admin", "manager", "coordinator_other_region", "coach", "contact_other_organization"), 200, 404),
            None,
        ),
        "programs:list": ({}, row(200), None),
        "programs:create": ({}, by(("admin",), 200, 404), by(("admin",), 200, 404)),
        "programs:register": ({}, row(200, anonymous=200), row(200, anonymous=200)),
        "programs:register_done": ({}, row(200, anonymous=200), None),
        "programs:detail": (
            {"slug": "dataide"},
            row(200, outsider=404),
            None,
        ),
        "programs:edit": ({"slug": "dataide"}, by(STAFF, 200, 404), by(STAFF, 200, 404)),
        "programs:targets": ({"slug": "dataide"}, by(STAFF, 200, 404), by(STAFF, "redirect", 404)),
        "programs:members": (
            {"slug": "dataide"},
            by(("admin", "manager", "coordinator_other_region"), 200, 404),
            by(("admin", "manager"), 200, 404),
        ),
        "programs:membership_revoke": ({"slug": "dataide", "membership_id": 999999}, None, by(STAFF, 404, 404)),
        "geography:municipality_search": ({}, row(200, anonymous=200), None),
        "api:schema": ({}, row(200, anonymous=401), None),
        "api:api-root": ({}, row(200, anonymous=401), None),
        "api:token": ({}, None, row(400, anonymous=400)),
        "api:organization-list": (
            {},
            row(200, funder=403, reviewer=403, outsider=403, anonymous=401),
            {**by(("admin", "manager", "coordinator_other_region"), 400, 403), "anonymous": 401},
        ),
        "api:organization-detail": ({"pk": org_mtl}, {**by(STAFF, 200, 404), "anonymous": 401}, None),
        "api:organization-detail#quebec": (
            {"pk": org_qc},
            {
                **by(("admin", "manager", "coordinator_other_region", "coach", "contact_other_organization"), 200, 404),
                "anonymous": 401,
            },
            None,
        ),
        "api:person-list": ({}, row(200, anonymous=401), None),
        "api:person-detail": ({"pk": person_mtl}, {**by(STAFF, 200, 404), "anonymous": 401}, None),
        "api:program-list": ({}, row(200, anonymous=401), None),
        "api:program-detail": ({"slug": "dataide"}, row(200, outsider=404, anonymous=401), None),
        "api:region-list": ({}, row(200, anonymous=401), None),
        "api:region-detail": ({"code": "06"}, row(200, anonymous=401), None),
        "api:mrc-list": ({}, row(200, anonymous=401), None),
        "api:mrc-detail": ({"code": "660"}, row(200, anonymous=401), None),
        "api:municipality-list": ({}, row(200, anonymous=401), None),
        "api:municipality-detail": ({"code": "66023"}, row(200, anonymous=401), None),
        "api:docs": ({}, row(200, anonymous=200), None),
        "api:redoc": ({}, row(200, anonymous=200), None),
    }


# Django's admin site has its own permission system (staff only) and its own tests.
EXEMPT_PREFIXES = ("admin:",)


def _all_url_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _all_url_names(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{prefix}{pattern.name}")
    return names


def test_every_url_is_in_the_matrix(world):
    covered = {name.split("#")[0] for name in urls(world)}
    missing = sorted(name for name in _all_url_names() if name not in covered and not name.startswith(EXEMPT_PREFIXES))
    assert missing == [], f"URLs missing from the permission matrix: {missing}"


def _check(response, expected, method, name, persona):
    if expected == "login":
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"], (name, method, persona)
    elif expected == "redirect":
        assert response.status_code == 302, (name, method, persona, response.status_code)
    else:
        assert response.status_code == expected, (name, method, persona, response.status_code)


def _derived(name, method, expected_other, persona):
    """What a method the matrix does not list must answer, from what the other method answers.

    - a POST-only page answers GET with 405 once its sign-in check has passed;
    - an HTML page that only reads answers POST exactly as GET (it ignores the body);
    - an API endpoint that does not take POST answers 405 once authentication and permission pass.
    """
    other = expected_other[persona]
    if method == "GET":
        return other if other in ("login", 401) else 405
    if name.startswith("api:"):
        return other if other in ("login", 401, 403) else 405
    return other


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(client, world, persona):
    from django.urls import reverse

    user = world.personas[persona]
    for name, (kwargs, expected_get, expected_post) in urls(world).items():
        if user is not None:
            client.force_login(user)
        else:
            client.logout()
        url = reverse(name.split("#")[0], kwargs=kwargs)
        for method, expected, other in (("GET", expected_get, expected_post), ("POST", expected_post, expected_get)):
            answer = expected[persona] if expected is not None else _derived(name, method, other, persona)
            # Each request runs in a savepoint that is rolled back, so one row's POST (an
            # archive, say) cannot change what the next row sees.
            with transaction.atomic():
                response = client.get(url) if method == "GET" else client.post(url, {})
                transaction.set_rollback(True)
            _check(response, answer, method, name, persona)
