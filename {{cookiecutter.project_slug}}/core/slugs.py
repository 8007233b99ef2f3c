"""Readable, unique slugs for URLs."""

from collections.abc import Callable

from django.utils.text import slugify


def unique_slug(
    value: str, *, is_taken: Callable[[str], bool], max_length: int, fallback: str
) -> str:
    """Slugify ``value`` and add ``-2``, ``-3``... until ``is_taken`` says no."""
    base = slugify(value)[:max_length].strip("-") or fallback
    candidate = base
    suffix = 2
    while is_taken(candidate):
        tail = f"-{suffix}"
        candidate = f"{base[: max_length - len(tail)].rstrip('-')}{tail}"
        suffix += 1
    return candidate
