"""Needs counted per group of names (category, unit, settlement), read by ids.

Grouped by the joined names, the database joined every need of the period to three small
tables and sorted the wide rows to group them (PostgreSQL at 200k needs: an external merge
on disk, 0.6 s for the top needs, 0.15-0.2 s for each of categories, units and settlements).
Here the needs are counted by their foreign keys alone (answered from the index
`figures_need_period_idx`), the few ids found are named from their tables, groups whose names
agree are merged (two settlements of one unit with the same names count as one, as before),
and the rows come in the database's own order: largest count first, then each name as the
database orders it (each name's rank read from its table with ORDER BY; NULL where the
database puts it).
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Count, Min, Model, QuerySet

from cms.core.request_memo import remembered
from feedback_forms.models import Need


def relation_of(field: str) -> tuple[str, str]:
    """ "settlement__name_ka" -> ("settlement", "name_ka")."""
    relation, _, attribute = field.partition("__")
    return relation, attribute


def related_model(relation: str) -> type[Model]:
    return Need._meta.get_field(relation).related_model  # type: ignore[return-value]


def names_by_id(model: type[Model], attributes: list[str]) -> dict[Any, dict[str, Any]]:
    """The names of every row of a small reference table (categories, services, units,
    settlements), read once per `memo_scope` (a report's figures: both periods, every table)."""

    def read() -> dict[Any, dict[str, Any]]:
        rows = model._default_manager.order_by().values("pk", *attributes)
        return {row.pop("pk"): row for row in rows}

    return remembered(("names_by_id", model, tuple(attributes)), read, (model,))


def database_ranks(field: str) -> dict[Any, int]:
    """Each value of a name in the order the database sorts that column (ties share a rank),
    read once per `memo_scope`."""
    relation, attribute = relation_of(field)
    model = related_model(relation)

    def read() -> dict[Any, int]:
        ranks: dict[Any, int] = {}
        values = model._default_manager.order_by(attribute).values_list(attribute, flat=True)
        for value in values:
            ranks.setdefault(value, len(ranks))
        return ranks

    return remembered(("database_ranks", field), read, (model,))


#: What the period's pass over its needs' places groups by: every figure by category, unit and
#: settlement, and the top needs, is a sum of these groups (a few hundred: categories x
#: settlements), so the needs are read once for the four instead of once each.
PLACE_KEYS = ("category_id", "administrative_unit_id", "settlement_id")


def place_groups(needs: QuerySet) -> list[dict]:
    """Needs per category, unit and settlement (ids): how many, and the first title."""
    return list(
        needs.order_by().values(*PLACE_KEYS).annotate(count=Count("*"), example=Min("title"))
    )


def lesser(first: str | None, second: str | None) -> str | None:
    """The alphabetically first of two example titles (as `Min` gives one group's)."""
    return second if first is None else first if second is None else min(first, second)


def count_by_names(
    groups: list[dict], fields: Sequence[str], *, examples: bool = False
) -> list[dict]:
    """The `place_groups` summed per group of names `fields` (e.g. "category__slug",
    "settlement__name_ka"), as `needs.values(*fields).annotate(count=Count("*"))
    .order_by("-count", *fields)` gives them; with `examples`, each with the first title."""
    relations: dict[str, list[str]] = {}
    for field in fields:
        relation, attribute = relation_of(field)
        relations.setdefault(relation, []).append(attribute)
    names = {
        relation: names_by_id(related_model(relation), attributes)
        for relation, attributes in relations.items()
    }
    merged: dict[tuple, dict] = {}
    for row in groups:
        values = {}
        for field in fields:
            relation, attribute = relation_of(field)
            values[field] = names[relation].get(row[f"{relation}_id"], {}).get(attribute)
        group = merged.setdefault(tuple(values.values()), {**values, "count": 0})
        group["count"] += row["count"]
        if examples:
            group["example"] = lesser(group.get("example"), row["example"])
    ranks = {field: database_ranks(field) for field in fields}
    # NULL sorts after every value on PostgreSQL, before every value on SQLite.
    null_rank = float("inf") if connection.features.nulls_order_largest else -1.0

    def order(row: dict) -> tuple:
        return (
            -row["count"],
            *(null_rank if row[f] is None else ranks[f].get(row[f], null_rank) for f in fields),
        )

    return sorted(merged.values(), key=order)
