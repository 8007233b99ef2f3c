"""A list counted up to a limit pages like Django's, and past it by its rows."""

from core.pagination import CappedPaginator


def paginator(rows: int) -> CappedPaginator:
    return CappedPaginator(list(range(rows)), 5, count_limit=10)


def test_up_to_the_limit_it_counts_and_clamps_like_djangos():
    pages = paginator(10)

    assert (pages.count, pages.count_capped, pages.num_pages) == (10, False, 2)
    assert list(pages.get_page(2).object_list) == [5, 6, 7, 8, 9]
    assert not pages.get_page(2).has_next()
    assert pages.get_page(99).number == 2
    assert pages.get_page("abc").number == 1


def test_past_the_limit_it_stops_counting():
    pages = paginator(30)

    assert (pages.count, pages.count_capped) == (11, True)


def test_past_the_limit_a_page_knows_its_next_by_one_more_row():
    pages = paginator(30)

    fifth = pages.get_page(5)  # past the 3 pages the capped count makes
    assert (fifth.number, list(fifth.object_list)) == (5, [20, 21, 22, 23, 24])
    assert fifth.has_next() and fifth.has_previous()
    assert fifth.next_page_number() == 6
    last = pages.get_page(6)
    assert list(last.object_list) == [25, 26, 27, 28, 29]
    assert not last.has_next()


def test_past_the_end_of_a_long_list_is_its_last_page():
    page = paginator(30).get_page(99)

    assert (page.number, list(page.object_list)) == (6, [25, 26, 27, 28, 29])
    assert not page.has_next()
    assert paginator(30).get_page("abc").number == 1
