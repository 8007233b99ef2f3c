from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Before any URLconf is loaded: the apps' urls.py use these names.
        from core.converters import register_converters

        register_converters()

        from django.contrib.auth.signals import user_logged_out

        from core.browser import mark_logged_out

        user_logged_out.connect(mark_logged_out, dispatch_uid="core.browser")
