"""Scheduled jobs of the feedback forms: rate-limit counters and the retention of contacts."""

from cms.core.scheduler import scheduled_job
from feedback_forms.protection import purge_expired_counters
from feedback_forms.retention import erase_expired_contacts, retention_days


@scheduled_job("purge_rate_limits", "Delete rate-limit counters whose window ended long ago.")
def purge_rate_limits() -> str:
    return f"{purge_expired_counters()} rate-limit counters deleted"


@scheduled_job(
    "erase_expired_contacts", "Erase the contact details of closed submissions past retention."
)
def erase_contacts() -> str:
    counts = erase_expired_contacts()
    return (
        f"contacts erased (older than {retention_days()} days): "
        f"{counts['needs']} needs, {counts['evaluations']} evaluations"
    )
