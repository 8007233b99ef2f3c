from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Before any URLconf is loaded: the apps' urls.py use these names.
        from core.converters import register_converters

        register_converters()
