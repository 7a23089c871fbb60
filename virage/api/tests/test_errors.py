"""The exception handler: service errors become 400 and 409 answers with the services' messages."""

from django.core.exceptions import ValidationError
from rest_framework.test import APIRequestFactory

from virage.api.errors import BAD_INPUT, exception_handler
from virage.core.errors import ConfirmationRequired, DuplicateError


def handle(exc):
    return exception_handler(exc, {"request": APIRequestFactory().get("/api/v1/organizations/")})


def test_field_errors_keep_their_fields_and_messages():
    response = handle(ValidationError({"neq": ["Bad NEQ."], "__all__": ["Bad pair."]}))

    assert response.status_code == 400
    assert response.data == {"neq": ["Bad NEQ."], "non_field_errors": ["Bad pair."]}


def test_a_message_without_a_field_is_a_non_field_error():
    response = handle(ValidationError("Registrations are closed."))

    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["Registrations are closed."]}


def test_a_duplicate_is_a_409_that_links_to_the_existing_object(world):
    response = handle(DuplicateError("Already there.", existing=world.org_quebec, field="neq"))

    assert response.status_code == 409
    assert response.data["neq"] == ["Already there."]
    assert response.data["existing"]["id"] == world.org_quebec.pk
    assert response.data["existing"]["url"] == f"http://testserver/api/v1/organizations/{world.org_quebec.pk}/"


def test_a_duplicate_of_an_object_without_an_api_address_still_answers(world):
    response = handle(DuplicateError("Already there.", existing=world.program.memberships.first()))

    assert response.status_code == 409
    assert response.data["existing"]["url"] is None
    assert response.data["non_field_errors"] == ["Already there."]


def test_a_confirmation_request_lists_the_candidates(world):
    response = handle(ConfirmationRequired("Similar names.", candidates=[world.org_quebec]))

    assert response.status_code == 409
    assert response.data["detail"] == "Similar names."
    assert [candidate["id"] for candidate in response.data["candidates"]] == [world.org_quebec.pk]


def test_a_value_error_is_the_clients_fault_and_does_not_leak_its_text():
    response = handle(ValueError("int too large to convert to SQLite INTEGER"))

    assert response.status_code == 400
    assert response.data == {"detail": str(BAD_INPUT)}


def test_other_exceptions_are_left_to_django():
    assert handle(RuntimeError("bug")) is None
