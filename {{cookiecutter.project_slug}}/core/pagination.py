"""Pages of a list that cost the same at 10,000 rows as at 100.

``COUNT(*)`` reads every row it counts: at 10,000 rows the count costs more
than the rest of a list page. A ``CappedPaginator`` page reads one row more
than it shows, to know whether another page follows, and counts only when
asked (a page that says "45 tasks"), at most ``COUNT_LIMIT`` rows: a longer
list is "more than 1000".
"""

from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet

COUNT_LIMIT = 1000
# The largest offset a page may ask of SQLite or PostgreSQL (a signed 64-bit
# integer), far past any list.
MAX_OFFSET = 2**62


class CappedPaginator(Paginator):
    """Django's ``Paginator``, with pages that need no count.

    ``count`` stops at ``count_limit + 1`` (``count_capped``); ``num_pages``
    follows from it. A page number past the end shows the last page, which
    the list is counted in full to find: the one time anything does. A number
    that is not one, or below 1, shows the first.
    """

    def __init__(
        self, object_list: Any, per_page: int, *, count_limit: int = COUNT_LIMIT
    ) -> None:
        super().__init__(object_list, per_page)
        self.count_limit = count_limit

    @property
    def count(self) -> int:
        if not hasattr(self, "_capped_count"):
            rows = self.object_list
            if isinstance(rows, QuerySet):
                # Any count_limit + 1 rows tell the same: no order to follow.
                head = rows.order_by()[: self.count_limit + 1]
                self._capped_count: int = head.count()
            else:
                self._capped_count = len(rows[: self.count_limit + 1])
        return self._capped_count

    @property
    def count_capped(self) -> bool:
        return self.count > self.count_limit

    def validate_number(self, number: Any) -> int:
        """Django's check of a page number, without the upper bound: the
        page's rows tell whether it exists."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def get_page(self, number: Any) -> Page:
        try:
            number = self.validate_number(number)
        except (PageNotAnInteger, EmptyPage):
            number = 1
        return self.page(number)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        rows = self._rows_from(number) if number <= self._last_possible else []
        if not rows and number > 1:
            number = Paginator(self.object_list, self.per_page).num_pages
            rows = self._rows_from(number)
        return CappedPage(
            rows[: self.per_page], number, self, has_next=len(rows) > self.per_page
        )

    @property
    def _last_possible(self) -> int:
        """A number past this one asks an offset no database can take."""
        return MAX_OFFSET // self.per_page

    def _rows_from(self, number: int) -> list[Any]:
        """The page's rows and the first of the next page, if there is one."""
        bottom = (number - 1) * self.per_page
        return list(self.object_list[bottom : bottom + self.per_page + 1])


class CappedPage(Page):
    """A page that knows whether another follows by the row after its last."""

    def __init__(self, *args: Any, has_next: bool) -> None:
        super().__init__(*args)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next
