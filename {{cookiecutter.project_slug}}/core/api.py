"""The REST API's shared edge: one error envelope, one pagination.

Every error the API answers has the same body, whatever raised it: a refusal
of a service (``DomainError``), a serializer's validation, a missing or hidden
object, a refused permission, a throttle::

    {"code": "conflict", "message": "...",
     "errors": [{"field": "title", "code": "conflict", "message": "..."}]}

``code`` is stable and machine-readable (the kind of error); ``errors`` names
the field of each problem when there is one (``null`` otherwise). No stack
trace and no HTML ever leave the API.
"""

from typing import Any, cast

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox import views as knox_views
from knox.auth import TokenAuthentication
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from core import validators
from core.exceptions import (
    ConflictError,
    DomainError,
    InvalidTokenError,
    InvalidTransitionError,
)

# A refused service call: its kind's code and status.
DOMAIN_ERRORS: tuple[tuple[type[DomainError], str, int], ...] = (
    (ConflictError, "conflict", status.HTTP_409_CONFLICT),
    (InvalidTransitionError, "invalid_transition", status.HTTP_409_CONFLICT),
    (InvalidTokenError, "invalid_token", status.HTTP_400_BAD_REQUEST),
    (DomainError, "refused", status.HTTP_400_BAD_REQUEST),
)
VALIDATION_MESSAGE = "The request is not valid: see errors."


def _domain_error_response(error: DomainError) -> Response:
    code, http_status = next(
        (code, http_status)
        for kind, code, http_status in DOMAIN_ERRORS
        if isinstance(error, kind)
    )
    problem = {"field": error.field, "code": code, "message": error.message}
    return Response(
        {"code": code, "message": error.message, "errors": [problem]},
        status=http_status,
    )


def _flatten(detail: Any, field: str | None = None) -> list[dict[str, Any]]:
    """DRF's nested error details as a flat list, each with its field path."""
    if isinstance(detail, dict):
        problems = []
        for key, value in detail.items():
            name = None if key == "non_field_errors" else str(key)
            path = f"{field}.{name}" if field and name else (name or field)
            problems.extend(_flatten(value, path))
        return problems
    if isinstance(detail, list):
        return [problem for item in detail for problem in _flatten(item, field)]
    code = getattr(detail, "code", None) or "invalid"
    return [{"field": field, "code": str(code), "message": str(detail)}]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler, answering in the one envelope.

    ``DomainError`` comes from the services: the API lets it through to here
    instead of catching it in every view, as forms do with
    ``add_domain_error``.
    """
    if isinstance(exc, DomainError):
        return _domain_error_response(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        problems = _flatten(exc.detail)
        response.data = {
            "code": "invalid",
            "message": VALIDATION_MESSAGE,
            "errors": problems,
        }
        return response
    code = exc.get_codes()
    code = code if isinstance(code, str) else exc.default_code
    message = str(exc.detail) if not isinstance(exc.detail, dict | list) else ""
    response.data = {
        "code": code,
        "message": message or str(exc.default_detail),
        "errors": [{"field": None, "code": code, "message": message}],
    }
    return response


API_PATH_PREFIX = "/api/"


def _envelope(code: str, message: str) -> dict[str, Any]:
    return {
        "code": code,
        "message": message,
        "errors": [{"field": None, "code": code, "message": message}],
    }


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: a path no route matches, in the envelope under /api/.

    A script that asks for a misspelled endpoint reads JSON like every other
    answer of the API; the site's pages keep Django's 404 page.
    """
    if request.path_info.startswith(API_PATH_PREFIX):
        return JsonResponse(
            _envelope("not_found", str(exceptions.NotFound.default_detail)),
            status=status.HTTP_404_NOT_FOUND,
        )
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: no HTML and no trace under /api/, the 500 page elsewhere."""
    if request.path_info.startswith(API_PATH_PREFIX):
        return JsonResponse(
            _envelope("error", "A server error occurred."),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    return defaults.server_error(request)


def validate_single_line(value: str) -> None:
    """``core.validators.validate_single_line`` for serializers.

    A function, not the ``RegexValidator`` itself: the schema generator would
    publish that validator's pattern as one the value must match, when it is
    the pattern it must not.
    """
    validators.validate_single_line(value)


def represent(
    serializer: serializers.Serializer[Any], values: dict[str, Any]
) -> dict[str, Any]:
    """What DRF writes for ``values``, each by the serializer's field of its name.

    Without DRF's per-field attribute lookups, which cost more than the values
    on a page of rows: the serializer's ``to_representation`` reads them.
    """
    fields = serializer.fields
    return {
        name: None if value is None else fields[name].to_representation(value)
        for name, value in values.items()
    }


class ErrorItemSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(allow_null=True)
    code = serializers.CharField()
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer[Any]):
    """The body of every error answer (documents ``exception_handler``)."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # Declared here: an ``errors`` attribute would hide Serializer.errors.
        return {
            "code": serializers.CharField(),
            "message": serializers.CharField(),
            "errors": ErrorItemSerializer(many=True),
        }


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """The schema's error answers of an operation, all in the envelope."""
    return {code: OpenApiResponse(response=ErrorSerializer) for code in statuses}


class Pagination(PageNumberPagination):
    """Pages of 20 rows (``?page=``, ``?page_size=`` up to 100).

    The order is the selector's, which always ends on a unique column, so a
    row never appears on two pages.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(help_text="Shown this once: only its digest is kept.")
    expiry = serializers.DateTimeField(allow_null=True)


class IsSignedInBrowser(BasePermission):
    """The caller was authenticated by the browser's session, not by a token."""

    message = "A token cannot ask for another token: ask from a signed-in browser."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return isinstance(request.successful_authenticator, SessionAuthentication)


class TokenCreateView(knox_views.LoginView):
    """A personal access token for the signed-in browser's user, shown once.

    Only the session may ask (a token cannot breed tokens: 403); anonymous
    callers get 401 with the token scheme, as on every endpoint. knox keeps
    the token's SHA-512 digest, its expiry (``REST_KNOX["TOKEN_TTL"]``) and at
    most ``TOKEN_LIMIT_PER_USER`` live tokens per person.
    """

    # Both authenticators, as everywhere: a lone SessionAuthentication has no
    # WWW-Authenticate challenge, so DRF would answer an anonymous call 403.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated, IsSignedInBrowser]

    @extend_schema(
        operation_id="tokens_create",
        request=None,
        responses={200: TokenSerializer, **error_responses(401, 403, 429)},
    )
    def post(self, request: Request, format: str | None = None) -> Response:
        response: Response = super().post(request, format=format)
        if response.status_code == status.HTTP_403_FORBIDDEN:  # too many tokens
            raise exceptions.PermissionDenied(response.data["error"])
        return response


class TokenRevokeView(knox_views.LogoutView):
    """Revoke the token this request is signed with."""

    @extend_schema(
        operation_id="tokens_revoke",
        request=None,
        responses={204: None, **error_responses(401)},
    )
    def post(self, request: Request, format: str | None = None) -> Response:
        return super().post(request, format=format)


class TokenRevokeAllView(knox_views.LogoutAllView):
    """Revoke every token of the person this request's token belongs to."""

    @extend_schema(
        operation_id="tokens_revoke_all",
        request=None,
        responses={204: None, **error_responses(401)},
    )
    def post(self, request: Request, format: str | None = None) -> Response:
        return super().post(request, format=format)


class WriteRateThrottle(ScopedRateThrottle):
    """The abuse limit a view names as ``throttle_scope`` (``ABUSE_LIMITS``),
    counted on its POSTs alone, per user or client address."""

    def allow_request(self, request: Request, view: APIView) -> bool:
        if request.method != "POST":
            return True
        return super().allow_request(request, view)


# A view that creates accounts or content or sends mail: the default
# throttles, and its abuse limit.
WRITE_THROTTLES: list[type[BaseThrottle]] = [
    *cast("list[type[BaseThrottle]]", api_settings.DEFAULT_THROTTLE_CLASSES),
    WriteRateThrottle,
]
