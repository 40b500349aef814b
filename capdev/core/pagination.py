"""The paginators of large lists: deep pages read from the nearer end, free-text searches count
only as far as a reader can page, and ranked searches count their matches while ranking them.

Every list page goes through `paginate()` (core/views.py); the API uses the same paginators
(`capdev.api.pagination`), with exact counts. Rows, order and scoping are those of the queryset
given: the paginators only change how a page's keys and the number of rows are read.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

# A free-text search counts its results up to this many (or as far as the page asked for):
# "more than 500 results" (20 pages) says all a reader needs, and counting the 90,000 rows that
# match a one-letter search costs more than the rest of the page.
SEARCH_COUNT_LIMIT = 500

_UNIQUE_LAST = {"pk", "-pk", "id", "-id"}


def _is_total_order(qs: Any) -> bool:
    """Whether `qs` is ordered by a list of fields ending with the primary key, so that reading it
    backwards gives exactly the reverse sequence (NULLs too: PostgreSQL and SQLite both mirror
    their placement when an order is reversed)."""
    query = qs.query
    ordering = list(query.order_by) or (list(qs.model._meta.ordering) if query.default_ordering else [])
    return bool(ordering) and isinstance(ordering[-1], str) and ordering[-1] in _UNIQUE_LAST


class DeferredJoinPaginator(Paginator):
    """Pages through a large table quickly: first the page's primary keys (an index-only scan on
    the ordering index, even deep into the list), then the rows for those keys only.

    A page past the middle of the list reads its keys from the end (the reverse order, a short
    OFFSET from the last row), so the last page costs what the first does. That needs an order that
    ends with the primary key; otherwise the keys are read from the start.

    `count_limit` (free-text searches): one query reads the keys of the matches in order, up to
    that many or as many as the page asked for (`page_hint`) needs, plus one; their number is the
    count, and the page's keys are a slice of them. When there are more, `count_capped` is true,
    `count_floor` is the number known to be exceeded, and the last page is unknown (the template
    says "more than N results" and offers no Last link). Reading the keys up to a limit of
    hundreds, not 25, also keeps the plan sound: the database sorts a few matches, or walks the
    ordering index when matches are many, instead of walking it in search of a few rare ones."""

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *args: Any,
        count_limit: int | None = None,
        page_hint: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self.count_limit = count_limit
        self.count_capped = False
        self.count_floor = 0
        self._page_hint = page_hint

    @property
    def _counts_keys(self) -> bool:
        """Whether the count is the number of keys read by `_leading_keys`."""
        return self.count_limit is not None

    @cached_property
    def _leading_keys(self) -> list[Any]:
        """The keys of the first matches in order (see `count_limit`)."""
        assert self.count_limit is not None
        try:
            wanted = max(int(self._page_hint), 1) * self.per_page
        except (TypeError, ValueError):
            wanted = self.per_page
        limit = max(self.count_limit, wanted) + 1
        qs: Any = self.object_list
        keys = list(qs.values_list("pk", flat=True)[:limit])
        if len(keys) >= limit:
            self.count_capped = True
            self.count_floor = limit - 1
        return keys

    @cached_property
    def count(self) -> int:
        if not self._counts_keys:
            return super().count
        return len(self._leading_keys)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        qs: Any = self.object_list
        if self._counts_keys:
            ids = self._leading_keys[bottom:top]
        elif bottom > self.count // 2 and _is_total_order(qs):
            # The same rows, read backwards from the last one: a short OFFSET, not a long one.
            ids = list(qs.reverse().values_list("pk", flat=True)[self.count - top : self.count - bottom])
            ids.reverse()
        else:
            ids = list(qs.values_list("pk", flat=True)[bottom:top])
        return self._page_for_ids(ids, number)

    def _page_for_ids(self, ids: list[Any], number: int) -> Page:
        qs: Any = self.object_list
        rows = {obj.pk: obj for obj in qs.filter(pk__in=ids)} if ids else {}
        return self._get_page([rows[i] for i in ids if i in rows], number, self)  # type: ignore[attr-defined]


class RankedSearchPaginator(DeferredJoinPaginator):
    """For a search ordered by relevance, which must read and rank every match to find the best
    ones: the keys of all the matches, in order, in one query. Their number is the exact count
    (no second pass over the matches to count them), and a page's keys are a slice of them. A few
    thousand integers cost far less than ranking the matches does."""

    @property
    def _counts_keys(self) -> bool:
        return True

    @cached_property
    def _leading_keys(self) -> list[Any]:
        qs: Any = self.object_list
        return list(qs.values_list("pk", flat=True))
