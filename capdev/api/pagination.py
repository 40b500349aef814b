"""The API's page-number pagination, on the same paginators as the pages (core/pagination.py):
a page's rows are fetched by primary key after an index-only read of the page's keys, and a page
past the middle of a list reads its keys from the end. `count` stays exact."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination

from capdev.core.pagination import DeferredJoinPaginator


class DeferredJoinPagination(PageNumberPagination):
    django_paginator_class = DeferredJoinPaginator
