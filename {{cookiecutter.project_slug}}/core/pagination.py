"""Pages of a list that cost the same at 10,000 rows as at 100.

``COUNT(*)`` reads every row it counts: at 10,000 rows the count costs more
than the rest of a list page. ``CappedPaginator`` counts up to
``COUNT_LIMIT`` rows; a longer list says "more than 1000", and each of its
pages asks for one row more than it shows to know whether another follows.
"""

from typing import Any

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet

COUNT_LIMIT = 1000


class CappedPaginator(Paginator):
    """Django's ``Paginator``, counting at most ``count_limit`` rows.

    Up to the limit it is Django's. Past it ``count_capped`` is true and
    ``count`` is ``count_limit + 1``: a page is found by its number alone
    (there is no last page to clamp to), and a page past the end counts the
    list in full, the one time anything does, to show the last page instead.
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
        try:
            return super().validate_number(number)
        except EmptyPage:
            if self.count_capped and int(number) >= 1:
                return int(number)
            raise

    def page(self, number: Any) -> Page:
        if not self.count_capped:
            return super().page(number)
        number = self.validate_number(number)
        rows = self._rows_from(number)
        if not rows and number > 1:
            number = Paginator(self.object_list, self.per_page).num_pages
            rows = self._rows_from(number)
        return CappedPage(
            rows[: self.per_page], number, self, has_next=len(rows) > self.per_page
        )

    def _rows_from(self, number: int) -> list[Any]:
        """The page's rows and the first of the next page, if there is one."""
        bottom = (number - 1) * self.per_page
        return list(self.object_list[bottom : bottom + self.per_page + 1])


class CappedPage(Page):
    """A page of a list counted past its limit: it knows its next by a row."""

    def __init__(self, *args: Any, has_next: bool) -> None:
        super().__init__(*args)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next
