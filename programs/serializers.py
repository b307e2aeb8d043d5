"""API representations of taxonomy: code and both names, never only a database id."""

from typing import TYPE_CHECKING, Any

from rest_framework import serializers

if TYPE_CHECKING:
    from programs.models.taxonomy import NamedReference


def reference_payload(obj: "NamedReference | None", code_field: str) -> dict | None:
    if obj is None:
        return None
    return {
        "id": obj.pk,
        "code": getattr(obj, code_field),
        "name_ka": obj.name_ka,
        "name_en": obj.name_en,
    }


class SlugReferenceField(serializers.Field):
    """A category or service: identified by its slug."""

    def to_representation(self, value: "NamedReference | None") -> dict | None:
        return reference_payload(value, "slug")


class UnitsField(serializers.Field):
    """The administrative units a program covers, in code order."""

    def to_representation(self, value: Any) -> list[dict | None]:  # a related manager
        return [
            reference_payload(unit, "code") for unit in sorted(value.all(), key=lambda u: u.code)
        ]
