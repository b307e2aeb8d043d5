"""The staff roles of the rule (Art. 4.2-4.5) as Wagtail groups.

Names are stable keys; later features add their own permissions to these groups.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    username: str
    group_name: str
    label: Promise


CONTENT_EDITORS = Role("editor", "Content editors", _("Content editors"))
PLATFORM_MANAGERS = Role("manager", "Platform managers", _("Platform managers (PR division)"))
SERVICE_REPRESENTATIVES = Role("service", "Service representatives", _("Service representatives"))
MAYOR = Role("mayor", "Mayor", _("Mayor"))
ANALYSTS = Role("analyst", "Analysts", _("Analysts"))

ROLES = [CONTENT_EDITORS, PLATFORM_MANAGERS, SERVICE_REPRESENTATIVES, MAYOR, ANALYSTS]


def ensure_role_groups() -> dict[str, Group]:
    """Create the groups (idempotent) and give every role access to the Wagtail admin."""
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    groups = {}
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.group_name)
        group.permissions.add(access_admin)
        groups[role.username] = group
    return groups
