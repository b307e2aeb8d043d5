"""Reset a staff member's two-step verification from the shell (README: "Lost phone")."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cms.core import two_factor


class Command(BaseCommand):
    help = "Remove a user's authenticator app and recovery codes; they enrol again at sign-in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user_model = get_user_model()
        try:
            user = user_model.objects.get(**{user_model.USERNAME_FIELD: username})
        except user_model.DoesNotExist as error:
            raise CommandError(f"No user called {username!r}.") from error
        removed = two_factor.reset(user, by=None)
        self.stdout.write(f"Removed {removed} device(s) of {username}; they enrol at next sign-in.")
