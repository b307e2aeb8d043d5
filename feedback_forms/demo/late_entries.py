"""Demo paper forms of the previous half-year typed in after its report was sent (the report's
"received after the previous report")."""

from typing import TYPE_CHECKING

from feedback_forms.demo.submissions import NEED_TOPICS, need_row
from feedback_forms.models import NeedsFormPage

if TYPE_CHECKING:
    import datetime

LATE_PAPER_NEEDS = 3


def ensure_demo_late_entries(*, now: "datetime.datetime | None" = None, seed: int = 4) -> int:
    """Paper forms handed in during the last days of the previous half-year and typed in after
    its report was sent: the current report counts them as "received after the previous
    report". Dated by the staff entry's own rule (the received day decides the period; the time
    is the last moment of that day). Call it once, after the previous report was sent."""
    import datetime
    import random

    from django.utils import timezone

    from cms.core.personal_numbers import digest_personal_number
    from feedback_forms.intake import received_at
    from feedback_forms.models import Need
    from feedback_forms.periods import period_bounds, period_for_date, previous_period
    from programs.models import ProgramCategory, Settlement

    now = now or timezone.now()
    previous = previous_period(period_for_date(timezone.localdate(now)))
    last_day = period_bounds(previous)[1]
    needs_form = NeedsFormPage.objects.filter(locale__language_code="ka").first()
    if needs_form is None:
        return 0
    rng = random.Random(seed)
    settlements = list(Settlement.objects.select_related("unit").order_by("pk"))
    categories = {category.slug: category for category in ProgramCategory.objects.all()}
    rows = []
    for index in range(LATE_PAPER_NEEDS):
        settlement = rng.choice(settlements)
        received_on = last_day - datetime.timedelta(days=index)
        created = received_at(received_on)
        digest = digest_personal_number(f"{20_000_000_000 + index * 7919:011d}")
        rows.append(
            need_row(
                NEED_TOPICS[index * 3 % len(NEED_TOPICS)],
                settlement,
                language="ka",
                categories=categories,
                needs_form=needs_form,
                digest=digest,
                created_at=created,
                reporting_period=previous,
                birth_year=1950 + index,
                channel="paper",
            )
        )
    Need.objects.bulk_create(rows)
    return len(rows)
