"""The public results and accountability pages every site has; created by `setup_site`.

Idempotent: an existing page of each type under the home page is left as editors made it.
"""

from wagtail.models import Page

from reports.models import AccountabilityPage, ResultsPage

PAGES = {
    ResultsPage: {
        "slug": "results",
        "ka": (
            "შედეგები",
            "შეფასებებისა და საჭიროებების შედეგები, რომლებსაც მერია წელიწადში ორჯერ აჯამებს.",
        ),
        "en": (
            "Results",
            "The results of evaluations and needs that City Hall compiles twice a year.",
        ),
    },
    AccountabilityPage: {
        "slug": "accountability",
        "ka": ("ანგარიშვალდებულება", "რა გადაწყვიტა მერმა და როგორ სრულდება ეს გადაწყვეტილებები."),
        "en": ("Accountability", "What the mayor decided and how the decisions are carried out."),
    },
}


def ensure_results_pages(homes: dict[str, Page]) -> None:
    """The results pages, and the reporting periods a first report can be started for."""
    from reports.models import ReportingPeriod

    ReportingPeriod.objects.ensure_reportable_years()
    for page_class, content in PAGES.items():
        home = homes["ka"]
        page = home.get_children().type(page_class).specific().first()
        if page is None:
            title, intro = content["ka"]
            page = page_class(title=title, slug=content["slug"], intro=intro, show_in_menus=True)
            home.add_child(instance=page)
            page.save_revision().publish()
        for code, translated_home in homes.items():
            if code != "ka" and page.get_translation_or_none(translated_home.locale) is None:
                translation = page.copy_for_translation(translated_home.locale)
                translation.title, translation.intro = content[code]
                translation.save_revision().publish()
