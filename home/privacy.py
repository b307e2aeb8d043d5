"""The retention periods the privacy notice states, read from the settings the jobs apply.

`erase_expired_contacts` erases contact details after FEEDBACK_CONTACT_RETENTION_DAYS;
`purge_rate_limits` deletes the rate-limit counters (keyed hashes of an address or a personal
number) and spent form tokens. Reading the same functions the jobs use keeps the notice true.
"""

import math
from dataclasses import dataclass

from django.conf import settings

from feedback_forms.protection import DEFAULT_RATE_LIMITS, form_max_age_seconds
from feedback_forms.retention import retention_days

#: The purge command's default --older-than (two days).
COUNTER_PURGE_SECONDS = 2 * 86400


@dataclass(frozen=True)
class RetentionPeriods:
    contact_days: int
    counter_days: int
    form_token_hours: int


def retention_periods() -> RetentionPeriods:
    limits = getattr(settings, "FEEDBACK_RATE_LIMITS", DEFAULT_RATE_LIMITS)
    longest_window = max((window for _limit, window in limits.values()), default=0)
    counter_seconds = max(COUNTER_PURGE_SECONDS, longest_window)
    return RetentionPeriods(
        contact_days=retention_days(),
        counter_days=math.ceil(counter_seconds / 86400),
        form_token_hours=math.ceil(form_max_age_seconds() / 3600),
    )
