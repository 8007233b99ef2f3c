from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = "Users"

    def ready(self) -> None:
        from users.views_mfa import ask_for_second_factor

        user_logged_in.connect(
            ask_for_second_factor, dispatch_uid="users.ask_for_second_factor"
        )
