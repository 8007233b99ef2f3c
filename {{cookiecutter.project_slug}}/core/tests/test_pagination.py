"""A page reads one row more than it shows; the list is counted only when asked,
and only so far."""

import pytest
from django.contrib.auth.models import Permission

from core.pagination import CappedPaginator


def paginator(rows: int) -> CappedPaginator:
    return CappedPaginator(list(range(rows)), 5, count_limit=10)


def test_up_to_the_limit_it_counts_like_djangos():
    pages = paginator(10)

    assert (pages.count, pages.count_capped, pages.num_pages) == (10, False, 2)
    assert list(pages.get_page(2).object_list) == [5, 6, 7, 8, 9]
    assert not pages.get_page(2).has_next()


def test_past_the_limit_it_stops_counting():
    pages = paginator(30)

    assert (pages.count, pages.count_capped) == (11, True)


def test_a_page_knows_its_next_by_one_more_row():
    pages = paginator(30)

    fifth = pages.get_page(5)  # past the 3 pages the capped count makes
    assert (fifth.number, list(fifth.object_list)) == (5, [20, 21, 22, 23, 24])
    assert fifth.has_next() and fifth.has_previous()
    assert fifth.next_page_number() == 6
    last = pages.get_page(6)
    assert list(last.object_list) == [25, 26, 27, 28, 29]
    assert not last.has_next()


@pytest.mark.parametrize(
    ("number", "expected"), [(99, 6), (10**30, 6), ("abc", 1), (0, 1), (1.5, 1)]
)
def test_past_the_end_is_the_last_page_and_no_number_the_first(number, expected):
    page = paginator(30).get_page(number)

    assert page.number == expected
    assert list(page.object_list) == list(range(5 * expected - 5, 5 * expected))


@pytest.mark.django_db
def test_a_page_is_one_query_and_its_count_another_that_stops(
    django_assert_num_queries,
):
    pages = CappedPaginator(Permission.objects.order_by("pk"), 10, count_limit=20)

    with django_assert_num_queries(1):
        page = pages.get_page(2)
        assert page.has_next() and len(page.object_list) == 10
    with django_assert_num_queries(1):
        assert (pages.count, pages.count_capped) == (21, True)
