"""Test data for articles, tags and comments.

Factories write rows directly, for arranging a test; the workflows under
test go through the services.
"""

import factory
from django.contrib.auth.models import Permission
from django.utils import timezone

from articles.models import Article, Comment, Tag
from users.models import User
from users.tests.factories import UserFactory


def grant(user: User, *codenames: str) -> User:
    """Give ``user`` these permissions of the articles app (``change_article``...)."""
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles", codename__in=codenames
        )
    )
    return user


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.LazyAttribute(lambda tag: tag.name.lower().replace(" ", "-"))


class ArticleFactory(factory.django.DjangoModelFactory):
    """A draft by default; ``published=True`` gives a published one."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    body = "Some text worth reading."
    status = Article.Status.DRAFT
    author = factory.SubFactory(UserFactory)
    published_at = None

    class Params:
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def tags(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.tags.set(extracted)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory, published=True)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Comment {n}")
    is_approved = False

    class Params:
        approved = factory.Trait(is_approved=True)
