from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Before any URLconf is loaded: the apps' urls.py use these names.
        from core.converters import register_converters

        register_converters()

        from django.conf import settings
        from django.contrib.auth.signals import (
            user_logged_in,
            user_logged_out,
            user_login_failed,
        )
        from django.db.models.signals import post_save

        from core import security_log
        from core.browser import mark_logged_out
        from core.sessions import start_session_clock

        user_logged_out.connect(mark_logged_out, dispatch_uid="core.browser")
        user_logged_in.connect(start_session_clock, dispatch_uid="core.sessions")
        user_logged_in.connect(security_log.on_logged_in, dispatch_uid="security")
        user_logged_out.connect(security_log.on_logged_out, dispatch_uid="security")
        user_login_failed.connect(security_log.on_login_failed, dispatch_uid="security")
        post_save.connect(
            security_log.on_user_saved,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="security",
        )
