"""Create the pages a working site needs (part of `release`); safe to run on every deployment."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from wagtail.models import Page

from home.site_setup import SiteAddress, setup_site, site_address


class Command(BaseCommand):
    help = (
        "Create the locales, both home pages, the privacy and accessibility pages, the program "
        "index, the needs form and the results and accountability pages that are missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hostname",
            help="Host name of a newly created default site (default: from WAGTAILADMIN_BASE_URL).",
        )
        parser.add_argument("--port", type=int, help="Port of a newly created default site.")
        parser.add_argument(
            "--municipality",
            help="Code of the data set to load (default: the MUNICIPALITY setting).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        address = site_address(settings.WAGTAILADMIN_BASE_URL)
        address = SiteAddress(
            options["hostname"] or address.hostname, options["port"] or address.port
        )
        homes = setup_site(address, options["municipality"])
        for code, home in homes.items():
            pages = [home, *Page.objects.child_of(home).live().specific()]
            self.stdout.write(f"{code}: " + ", ".join(page.url or page.slug for page in pages))
