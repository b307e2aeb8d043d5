"""Scheduled jobs of the programs: the retention of invitation contacts."""

from cms.core.scheduler import scheduled_job
from programs.invitations import erase_spent_contacts


@scheduled_job(
    "erase_invitation_contacts",
    "Erase the contacts of invitations to evaluate that were used, expired or never sent.",
)
def erase_invitation_contacts() -> str:
    return f"{erase_spent_contacts()} invitation contacts erased"
