"""The settings modules keep their promises."""

from types import ModuleType

import django
from django.conf import settings

from config.settings import base, test


def configured_mail_backend(module: ModuleType) -> str:
    mailers = getattr(module, "MAILERS", None)
    if mailers is not None:
        return str(mailers["default"]["BACKEND"])
    return str(module.EMAIL_BACKEND)


def test_base_settings_keep_debug_off_and_hold_no_secret():
    assert base.DEBUG is False
    assert not hasattr(base, "SECRET_KEY")


def test_tests_run_on_the_test_settings():
    assert settings.SETTINGS_MODULE == "config.settings.test"


def test_test_settings_are_fast_and_keep_mail_in_memory():
    assert settings.PASSWORD_HASHERS == [
        "django.contrib.auth.hashers.MD5PasswordHasher"
    ]
    assert (
        configured_mail_backend(test) == "django.core.mail.backends.locmem.EmailBackend"
    )
    assert settings.DEBUG is False


def test_mail_is_configured_the_way_this_django_expects():
    has_mailers = hasattr(test, "MAILERS")
    assert has_mailers is (django.VERSION >= (6, 1))
    assert hasattr(test, "EMAIL_BACKEND") is not has_mailers


def test_custom_user_model_and_site_url():
    assert settings.AUTH_USER_MODEL == "users.User"
    assert settings.SITE_URL.startswith("http")
