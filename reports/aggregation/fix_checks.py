"""“Is it fixed?” (issue 15): residents asked after a resolution, per responsible service.

A key of the figures added later, so a report frozen before it existed lacks it ("not recorded").
"""

from typing import Any

from django.db.models import Count, Q

from feedback_forms.models import FixCheck, Need
from programs.models import MunicipalService
from reports.aggregation.common import share


def fix_check_figures(code: str) -> list[dict]:
    """Per service of the period's counted needs: residents asked "is it fixed?", those who
    answered, how many said yes and no, and the share confirmed fixed (yes / answered).

    Each question counts (a need resolved again after a reopening is asked again); services
    without a question this period are left out; needs without a service are grouped last."""
    checks = (
        FixCheck.objects.filter(need__in=Need.objects.visible().in_period(code).values("pk"))
        .order_by()
        .values("need__service_id")
        .annotate(
            asked=Count("pk"),
            answered=Count("pk", filter=~Q(answer="")),
            fixed=Count("pk", filter=Q(answer=FixCheck.Answer.FIXED)),
            not_fixed=Count("pk", filter=Q(answer=FixCheck.Answer.NOT_FIXED)),
        )
    )
    by_service = {row["need__service_id"]: row for row in checks}
    names: dict[Any, Any] = {
        row["pk"]: row
        for row in MunicipalService.objects.filter(pk__in=[k for k in by_service if k]).values(
            "pk", "slug", "name_ka", "name_en", "sort_order"
        )
    }
    rows = []
    for service_id, counts in by_service.items():
        service = names.get(service_id, {"slug": "", "name_ka": "", "name_en": ""})
        rows.append(
            {
                "service_id": service_id,
                "slug": service["slug"],
                "name_ka": service["name_ka"],
                "name_en": service["name_en"],
                **{key: counts[key] for key in ("asked", "answered", "fixed", "not_fixed")},
                "fixed_share": share(counts["fixed"], counts["answered"]),
            }
        )
    return sorted(
        rows,
        key=lambda row: (
            row["service_id"] is None,
            names.get(row["service_id"], {}).get("sort_order", 0),
            row["name_ka"],
        ),
    )
