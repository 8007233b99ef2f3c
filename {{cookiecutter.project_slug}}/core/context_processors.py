"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def project(request: HttpRequest) -> dict[str, str]:
    """Expose the project's name so templates never hard-code it."""
    return {"PROJECT_NAME": settings.PROJECT_NAME}
