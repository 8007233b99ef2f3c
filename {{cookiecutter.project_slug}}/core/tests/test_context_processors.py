"""Every template gets the project's name from one place."""

from django.conf import settings
from django.test import RequestFactory

from core.context_processors import project


def test_project_context_exposes_the_project_name():
    context = project(RequestFactory().get("/"))
    assert context == {"PROJECT_NAME": settings.PROJECT_NAME}
    assert settings.PROJECT_NAME
