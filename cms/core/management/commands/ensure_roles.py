"""Create the staff groups of the rule and grant their permissions (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from cms.core.roles import ensure_role_groups


class Command(BaseCommand):
    help = "Create or update the staff role groups and their permissions."

    def handle(self, *args: Any, **options: Any) -> None:
        groups = ensure_role_groups()
        self.stdout.write("Role groups ready: " + ", ".join(g.name for g in groups.values()))
