"""The API's shared edge: the error envelope, the schema, the offline docs."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from rest_framework import exceptions, serializers

from core.api import exception_handler, server_error
from core.exceptions import (
    ConflictError,
    DomainError,
    InvalidTokenError,
    InvalidTransitionError,
)


@pytest.mark.parametrize(
    ("error", "code", "status"),
    [
        (ConflictError("Taken.", field="slug"), "conflict", 409),
        (
            InvalidTransitionError("Needs a body.", field="body"),
            "invalid_transition",
            409,
        ),
        (InvalidTokenError("Expired."), "invalid_token", 400),
        (DomainError("No."), "refused", 400),
    ],
)
def test_a_refused_service_call_is_one_envelope_with_its_kind_and_field(
    error, code, status
):
    response = exception_handler(error, {})
    assert response is not None
    assert response.status_code == status
    assert response.data == {
        "code": code,
        "message": error.message,
        "errors": [{"field": error.field, "code": code, "message": error.message}],
    }


def test_validation_errors_name_each_field_and_rule():
    class Input(serializers.Serializer):
        title = serializers.CharField(max_length=3)
        tags = serializers.ListField(child=serializers.IntegerField())

    data = Input(data={"title": "long", "tags": [1, "x"]})
    assert not data.is_valid()
    response = exception_handler(exceptions.ValidationError(data.errors), {})
    assert response is not None
    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    problems = {(p["field"], p["code"]) for p in response.data["errors"]}
    assert problems == {("title", "max_length"), ("tags.1", "invalid")}


def test_non_field_errors_have_no_field():
    error = exceptions.ValidationError({"non_field_errors": ["Both or neither."]})
    response = exception_handler(error, {})
    assert response is not None
    assert response.data["errors"] == [
        {"field": None, "code": "invalid", "message": "Both or neither."}
    ]


@pytest.mark.parametrize(
    ("error", "code", "status"),
    [
        (Http404("No task matches."), "not_found", 404),
        (PermissionDenied(), "permission_denied", 403),
        (exceptions.NotAuthenticated(), "not_authenticated", 401),
        (exceptions.Throttled(wait=3), "throttled", 429),
    ],
)
def test_http_errors_share_the_envelope(error, code, status):
    response = exception_handler(error, {})
    assert response is not None
    assert response.status_code == status
    assert response.data["code"] == code
    assert response.data["errors"][0]["field"] is None


def test_an_unexpected_error_is_left_to_django():
    assert exception_handler(ValueError("bug"), {}) is None


@pytest.mark.django_db
def test_anonymous_callers_get_401_with_the_token_scheme(client):
    response = client.get("/api/v1/orgs/acme/tasks/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
def test_the_schema_and_its_docs_are_served_without_any_cdn(client):
    schema = client.get(reverse("api-schema"), {"format": "json"})
    assert schema.status_code == 200
    assert "/api/v1/orgs/{org_slug}/tasks/" in schema.json()["paths"]
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "swagger-ui" in page
    assert "https://" not in page
    assert "/static/drf_spectacular_sidecar/" in page


def test_an_unknown_api_path_answers_in_the_envelope(client):
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_an_unknown_page_keeps_the_sites_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_crash_under_the_api_answers_json_without_a_trace(rf):
    response = server_error(rf.get("/api/v1/orgs/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert b"Traceback" not in response.content
    assert json.loads(response.content)["code"] == "error"
    page = server_error(rf.get("/orgs/"))
    assert page["Content-Type"].startswith("text/html")
