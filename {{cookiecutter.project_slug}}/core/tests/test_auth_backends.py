"""A person's permissions, their own and their groups', come in one query."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission

from core.auth_backends import ModelBackend

pytestmark = pytest.mark.django_db


def permission(codename: str) -> Permission:
    return Permission.objects.get(codename=codename)


@pytest.fixture
def person():
    user = get_user_model().objects.create_user(username="person", password=None)
    editors = Group.objects.create(name="Editors")
    editors.permissions.add(permission("change_group"))
    user.groups.add(editors)
    user.user_permissions.add(permission("view_group"))
    return get_user_model().objects.get(pk=user.pk)


def test_own_and_group_permissions_in_one_query(person, django_assert_num_queries):
    with django_assert_num_queries(1):
        permissions = ModelBackend().get_all_permissions(person)
        assert ModelBackend().has_perm(person, "auth.change_group")

    assert permissions == {"auth.view_group", "auth.change_group"}


def test_the_same_answer_as_djangos_backend(person):
    ours = ModelBackend().get_all_permissions(person)

    fresh = get_user_model().objects.get(pk=person.pk)
    assert ours == DjangoModelBackend().get_all_permissions(fresh)


def test_a_superuser_has_every_permission(django_assert_num_queries):
    root = get_user_model().objects.create_superuser(username="root", password=None)

    with django_assert_num_queries(1):
        permissions = ModelBackend().get_all_permissions(root)

    assert len(permissions) == Permission.objects.count()


def test_an_inactive_person_or_an_object_has_none(person, django_assert_num_queries):
    group = Group.objects.get(name="Editors")

    with django_assert_num_queries(0):
        assert ModelBackend().get_all_permissions(person, obj=group) == set()
        person.is_active = False
        assert ModelBackend().get_all_permissions(person) == set()
