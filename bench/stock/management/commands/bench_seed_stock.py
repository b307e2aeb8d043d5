"""Give the stock site a home page and a form page with 8 fields (idempotent)."""

from django.core.management.base import BaseCommand
from wagtail.models import Page, Site

from bench.stock.models import FormField, FormPage, HomePage

FIELDS = [
    ("Citizen of Georgia", "checkbox", "", True),
    ("Birth date", "date", "", True),
    ("Personal number", "singleline", "", True),
    ("Used the program", "checkbox", "", True),
    ("Overall rating", "radio", "1\n2\n3\n4\n5", True),
    ("How easy was it", "dropdown", "1\n2\n3\n4\n5", True),
    ("What should improve", "multiline", "", False),
    ("Email", "email", "", False),
]


class Command(BaseCommand):
    help = "Seed the stock baseline: home page and an 8-field form page."

    def handle(self, *args, **options) -> None:
        if FormPage.objects.exists():
            return
        root = Page.get_first_root_node()
        for page in root.get_children():
            page.delete()
        home = root.add_child(instance=HomePage(title="Home", slug="home", body="<p>Stock.</p>"))
        form = FormPage(
            title="Evaluate",
            slug="evaluate",
            intro="<p>Questions.</p>",
            thank_you_text="<p>BENCH-THANKS</p>",
        )
        home.add_child(instance=form)
        for order, (label, field_type, choices, required) in enumerate(FIELDS):
            FormField.objects.create(
                page=form,
                sort_order=order,
                label=label,
                field_type=field_type,
                choices=choices,
                required=required,
            )
        Site.objects.all().delete()
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
        self.stdout.write("stock site seeded")
