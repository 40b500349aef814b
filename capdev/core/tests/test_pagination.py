"""The list paginator must return exactly the rows, in exactly the order, of a plain OFFSET
paginator: deep pages read backwards, and searches count only up to a limit."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capdev.core.pagination import DeferredJoinPaginator, RankedSearchPaginator
from capdev.people.models import Person

PER_PAGE = 4


@pytest.fixture
def people(cast):
    """31 people with many equal last and first names, so that only the id breaks ties."""
    Person.objects.bulk_create(
        Person(first_name=f"F{i % 3}", last_name=f"L{i % 4}", sex="F", organisation=cast.org_b)
        for i in range(31)
    )
    return Person.objects.order_by("last_name", "first_name", "id")


def _pages(paginator: Paginator) -> list[list[int]]:
    return [[p.pk for p in paginator.page(n).object_list] for n in paginator.page_range]


def test_every_page_has_the_rows_of_a_plain_offset_paginator(people):
    expected = _pages(Paginator(people, PER_PAGE))
    assert _pages(DeferredJoinPaginator(people, PER_PAGE)) == expected
    # Descending order, and an order taken from the model's Meta.
    newest = Person.objects.order_by("-created_at", "-id")
    assert _pages(DeferredJoinPaginator(newest, PER_PAGE)) == _pages(Paginator(newest, PER_PAGE))
    by_meta = Person.objects.all()
    assert _pages(DeferredJoinPaginator(by_meta, PER_PAGE)) == expected


def test_a_page_past_the_middle_reads_backwards_from_the_end(people):
    paginator = DeferredJoinPaginator(people, PER_PAGE)
    last = paginator.num_pages
    with CaptureQueriesContext(connection) as ctx:
        page = paginator.page(last)
    keys_sql = ctx.captured_queries[0]["sql"]
    assert "DESC" in keys_sql and "OFFSET" not in keys_sql  # the last rows, from the end
    assert [p.pk for p in page.object_list] == list(people.values_list("pk", flat=True))[-3:]


def test_an_order_that_does_not_end_with_the_key_is_read_forwards(people):
    qs = Person.objects.order_by("last_name", "first_name")  # ties: no guaranteed reverse order
    paginator = DeferredJoinPaginator(qs, PER_PAGE)
    with CaptureQueriesContext(connection) as ctx:
        paginator.page(paginator.num_pages)
    assert "DESC" not in ctx.captured_queries[0]["sql"]


def test_a_search_count_stops_at_the_limit_and_says_so(people):
    matches = people.filter(last_name="L1")  # 8 people
    paginator = DeferredJoinPaginator(matches, 2, count_limit=3, page_hint=1)
    page = paginator.page(1)
    assert paginator.count_capped and paginator.count_floor == 3
    assert page.has_next()
    assert [p.pk for p in page.object_list] == list(matches.values_list("pk", flat=True))[:2]


def test_a_search_page_beyond_the_limit_counts_further_and_has_the_right_rows(people):
    matches = people.filter(last_name="L1")
    keys = list(matches.values_list("pk", flat=True))
    paginator = DeferredJoinPaginator(matches, 2, count_limit=3, page_hint=3)
    page = paginator.page(3)
    assert [p.pk for p in page.object_list] == keys[4:6]
    assert paginator.count_capped and paginator.count_floor == 6 and page.has_next()
    paginator = DeferredJoinPaginator(matches, 2, count_limit=3, page_hint=4)
    page = paginator.page(4)
    assert [p.pk for p in page.object_list] == keys[6:8]
    assert not paginator.count_capped and paginator.count == 8 and not page.has_next()


def test_a_search_with_fewer_matches_than_the_limit_is_counted_exactly(people):
    matches = people.filter(last_name="L2")
    paginator = DeferredJoinPaginator(matches, PER_PAGE, count_limit=500, page_hint="1")
    assert paginator.count == matches.count() and not paginator.count_capped
    assert _pages(paginator) == _pages(Paginator(matches, PER_PAGE))


def test_a_search_counts_and_reads_the_page_keys_in_one_query(people):
    paginator = DeferredJoinPaginator(people.filter(last_name="L3"), PER_PAGE, count_limit=500)
    with CaptureQueriesContext(connection) as ctx:
        paginator.get_page(1)
    assert len(ctx.captured_queries) == 2  # the keys (and so the count), then the rows


def test_a_ranked_search_counts_exactly_from_the_keys_of_every_match(people):
    matches = people.filter(last_name__in=["L1", "L2"])
    paginator = RankedSearchPaginator(matches, PER_PAGE)
    with CaptureQueriesContext(connection) as ctx:
        page = paginator.get_page(2)
    assert len(ctx.captured_queries) == 2  # every key in order (the count), then the page's rows
    assert paginator.count == matches.count() and not paginator.count_capped
    assert [p.pk for p in page.object_list] == list(matches.values_list("pk", flat=True))[4:8]
    assert _pages(RankedSearchPaginator(matches, PER_PAGE)) == _pages(Paginator(matches, PER_PAGE))
