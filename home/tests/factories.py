"""Factories for the home app's pages (wagtail-factories)."""

import wagtail_factories

from home.models import HomePage, StandardPage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "მთავარი"

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = "გვერდი"

    class Meta:
        model = StandardPage
