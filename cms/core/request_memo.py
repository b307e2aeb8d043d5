"""Values read once per request: the reference data and the default locale a submission asks
for several times (the form built blank and bound, its schema, the canonical page).

Only inside a request (`RequestMemoMiddleware`) or a unit of work that asks for it
(`memo_scope`: a report's figures name the same reference rows for each table they show);
anywhere else each call reads afresh. A save
or deletion during the request of a model a value was read from forgets that value, so a
request that changes the reference data never reads its own stale copy; the next request
starts empty, so another process's change is seen at once.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable
from django.http import HttpRequest, HttpResponseBase

T = TypeVar("T")
M = TypeVar("M", bound=Model)

#: key -> (the value, the models it was read from)
_memo: ContextVar[dict[Hashable, tuple[Any, tuple[type, ...]]] | None] = ContextVar(
    "request_memo", default=None
)


def remembered(key: Hashable, make: Callable[[], T], read_from: tuple[type, ...]) -> T:
    """`make()` once per request for this key (every time outside a request)."""
    memo = _memo.get()
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = (make(), read_from)
    return memo[key][0]


@contextmanager
def memo_scope() -> Iterator[None]:
    """Values read once until the block ends; inside a request (or an outer scope), the
    request's own memo is used, so nothing read there is read again."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remembered_rows(queryset: QuerySet[M]) -> list[M]:
    """The rows of a query, read once per request (keyed by its SQL); forgotten when its model,
    or a model it joins with `select_related`, is saved or deleted during the request."""
    read_from: list[type[Model]] = [queryset.model]
    joined = queryset.query.select_related
    if isinstance(joined, dict):
        for name in joined:
            related = queryset.model._meta.get_field(name).related_model
            if isinstance(related, type):
                read_from.append(related)
    key = whole_table_key(queryset) or ("rows", str(queryset.query))
    return remembered(key, lambda: list(queryset), tuple(read_from))


def whole_table_key(queryset: QuerySet) -> Hashable | None:
    """A key for a query of a whole table (no filter, slice, annotation, distinct, values or
    deferred column: only an order and joined rows), built without compiling its SQL, which
    cost more than the memo saved (issue 13: ten compilations per submission of a need).
    Two such queries with one key have the same SQL; any other query gets None."""
    query = queryset.query
    if (
        query.where
        or query.annotations
        or query.extra
        or query.extra_order_by
        or query.distinct
        or query.combinator
        or query.values_select
        or query.select
        or query.select_for_update
        or query.group_by is not None
        or query.low_mark
        or query.high_mark is not None
        or query.deferred_loading != (frozenset(), True)
        or getattr(queryset, "_fields", None) is not None
        or queryset._iterable_class is not ModelIterable
    ):
        return None
    return (
        "whole table",
        queryset.model,
        queryset.db,
        tuple(str(term) for term in query.order_by),
        repr(query.select_related),
        query.default_ordering,
        query.standard_ordering,
        tuple(str(lookup) for lookup in getattr(queryset, "_prefetch_related_lookups", ())),
    )


def forget(sender: type, **kwargs: Any) -> None:
    """`post_save` / `post_delete` receiver: forget what was read from the changed model."""
    memo = _memo.get()
    if not memo:
        return
    for key in [key for key, (_value, models) in memo.items() if issubclass(sender, models)]:
        del memo[key]


class RequestMemoMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
