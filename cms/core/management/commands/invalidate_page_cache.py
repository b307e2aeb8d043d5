"""Make every kept public page stale: the release step runs it, as new code may render them
differently (cms.core.page_cache)."""

from typing import Any

from django.core.management.base import BaseCommand

from cms.core.page_cache import invalidate


class Command(BaseCommand):
    help = "Make every public page kept for anonymous visitors stale."

    def handle(self, *args: Any, **options: Any) -> None:
        invalidate()
