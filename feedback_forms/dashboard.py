"""Admin dashboard panels: the queues staff work through every day (Art. 4.2-4.3)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from feedback_forms.models import LOW_RATING, Evaluation, Need, Status
from feedback_forms.periods import current_period
from feedback_forms.permissions import sees_every_service, submissions_for
from feedback_forms.workflow import OPEN

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Counter:
    label: "StrOrPromise"
    count: int
    url: str


def listing_url(model_name: str, **params: Any) -> str:
    """The staff listing of needs or evaluations, filtered the way the counter counts."""
    url = reverse(f"wagtailsnippets_feedback_forms_{model_name}:list")
    return f"{url}?{urlencode(params, doseq=True)}"


class FeedbackQueuesPanel(Component):
    """New and unassigned, overdue, this period's counts, and a representative's own queue."""

    name = "feedback_queues"
    template_name = "feedback_forms/admin/dashboard_panel.html"
    order = 50

    def __init__(self, user: User) -> None:
        self.user = user

    def counters(self) -> list[Counter]:
        needs = submissions_for(self.user, Need, "view")
        evaluations = submissions_for(self.user, Evaluation, "view")
        period = current_period()
        today = timezone.localdate()
        counters = []
        if sees_every_service(self.user):
            counters.append(
                Counter(
                    _("New needs not yet assigned"),
                    needs.filter(status=Status.NEW, service__isnull=True).count(),
                    listing_url("need", status=Status.NEW),
                )
            )
        else:
            counters.append(
                Counter(
                    _("My service's open needs"),
                    needs.filter(status__in=OPEN).count(),
                    listing_url("need", status=[Status.ASSIGNED, Status.IN_REVIEW]),
                )
            )
        counters += [
            Counter(
                _("Overdue answers"),
                needs.filter(status__in=OPEN, due_date__lt=today).count(),
                listing_url("need", status=[Status.ASSIGNED, Status.IN_REVIEW]),
            ),
            Counter(
                _("Needs this period (%(period)s)") % {"period": period},
                needs.visible().in_period(period).count(),
                listing_url("need", reporting_period=period),
            ),
            Counter(
                _("Evaluations this period (%(period)s)") % {"period": period},
                evaluations.visible().in_period(period).count(),
                listing_url("evaluation", reporting_period=period),
            ),
            Counter(
                _("Low ratings (1-2) this period"),
                evaluations.visible()
                .in_period(period)
                .filter(overall_rating__lte=LOW_RATING)
                .count(),
                listing_url(
                    "evaluation",
                    reporting_period=period,
                    overall_rating=list(range(1, LOW_RATING + 1)),
                ),
            ),
        ]
        return counters

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
        return {"counters": self.counters()}
