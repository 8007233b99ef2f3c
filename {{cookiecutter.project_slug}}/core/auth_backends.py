"""Django's ModelBackend, reading a person's permissions in one query.

Django reads the permissions given to the user and those of their groups in
two queries, the first time a request asks ``user.has_perm``; pages that
decide what a person sees by a permission (an editor reads every draft) pay
both on every request. Here one query reads both, and the answer is cached
on the user object for the rest of the request, as Django does.
"""

from typing import Any

from django.contrib.auth import backends
from django.contrib.auth.models import Permission
from django.db.models import Q


class ModelBackend(backends.ModelBackend):
    def get_all_permissions(self, user_obj: Any, obj: object = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(
                    Q(user=user_obj) | Q(group__user=user_obj)
                )
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list(
                    "content_type__app_label", "codename"
                ).order_by()
            }
        return user_obj._perm_cache
