"""The pages every site needs, in Georgian and English: what `manage.py setup_site` creates on a
first deployment and `load_demo_data` reuses.

The tree: the Georgian home page (the default site's root) and its English translation, the
privacy notice and accessibility statement, the program index, the municipality-wide needs form,
and the public results and accountability pages, and the municipality's names in the site
settings (from the selected data set, cms.core.municipality). Idempotent: a page that exists is found by its
type or slug and left as editors made it; only missing pages and translations are created.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from cms.core.municipality import IDENTITY_FIELDS, data_set, fill_names, names, site_settings
from feedback_forms.site_pages import ensure_needs_form
from home.models import HomePage, StandardPage
from home.privacy_notice_content import ensure_privacy_notice
from programs.site_pages import ensure_program_index
from reports.site_pages import ensure_results_pages

#: The home pages' first content; {form} placeholders take the municipality's name in the
#: grammatical form the sentence needs (cms.core.municipality.FORMS), see `home_content`.
HOME_CONTENT = {
    "ka": {
        "title": "მოქალაქეთა უკუკავშირის პლატფორმა",
        "summary": (
            "{city_hall_of} პლატფორმა, სადაც შეგიძლიათ გაეცნოთ "
            "მუნიციპალურ პროგრამებს, შეაფასოთ ისინი და დააფიქსიროთ თქვენი სოფლის ან ქალაქის საჭიროებები."
        ),
        "body": [
            ("heading", {"text": "რისთვის არის პლატფორმა", "level": "h2"}),
            (
                "paragraph",
                "<p>მერია ისმენს მოსახლეობას: თქვენი შეფასებები და საჭიროებები წელიწადში "
                "ორჯერ მაინც ჯამდება და ეგზავნება მერს, რომელიც მინიმუმ ორ პრობლემას "
                "ასახავს მომავალი წლის ბიუჯეტის პროექტში.</p>",
            ),
            (
                "callout",
                {
                    "title": "ვის შეუძლია მონაწილეობა",
                    "text": "<p>საქართველოს 18 წლის ან უფროსი ასაკის მოქალაქეს, რომელმაც "
                    "ისარგებლა მუნიციპალური პროგრამით (შეფასება), ან რომელიც რეგისტრირებულია "
                    "{municipality_in} (საჭიროება).</p>",
                },
            ),
        ],
    },
    "en": {
        "title": "Citizens' Feedback Platform",
        "summary": (
            "{city_hall}'s platform where you can read about municipal "
            "programs, evaluate them and record the needs of your village or town."
        ),
        "body": [
            ("heading", {"text": "What the platform is for", "level": "h2"}),
            (
                "paragraph",
                "<p>City Hall listens to residents: your evaluations and needs are compiled at "
                "least twice a year and sent to the mayor, who puts at least two problems into "
                "next year's draft budget.</p>",
            ),
            (
                "callout",
                {
                    "title": "Who can take part",
                    "text": "<p>Citizens of Georgia aged 18 or older who used a municipal program "
                    "(evaluations), or who are registered in {municipality_in} (needs).</p>",
                },
            ),
        ],
    },
}

STANDARD_PAGES = {
    "accessibility": {
        "ka": (
            "ხელმისაწვდომობის განცხადება",
            "<p>ვცდილობთ, საიტი აკმაყოფილებდეს WCAG 2.2 AA სტანდარტს: ის მუშაობს "
            "JavaScript-ის გარეშე, კლავიატურით და მობილურ ტელეფონზე.</p>",
        ),
        "en": (
            "Accessibility statement",
            "<p>We aim to meet WCAG 2.2 AA: the site works without JavaScript, with a keyboard "
            "and on a phone.</p>",
        ),
    },
}


def home_content(language: str, municipality: str | None = None) -> dict:
    """The home page's first content, naming the municipality as its settings (or, on a new
    site, its data set) do."""
    return fill_names(HOME_CONTENT[language], names(site_settings(), language, municipality))


def ensure_municipality(municipality: str | None = None) -> None:
    """The default site's municipality settings take the data set's identity where empty:
    a new site names its municipality, and a name staff corrected stays as they wrote it."""
    contacts = site_settings()
    if contacts is None:
        return
    identity = data_set(municipality)["identity"]
    empty = [
        field for field in IDENTITY_FIELDS if not getattr(contacts, field) and identity.get(field)
    ]
    for field in empty:
        setattr(contacts, field, identity[field])
    if not contacts.code:
        contacts.code = data_set(municipality)["code"]
        empty.append("code")
    if empty:
        contacts.save(update_fields=empty)


def ensure_locales() -> dict[str, Locale]:
    return {
        code: Locale.objects.get_or_create(language_code=code)[0] for code, _ in settings.LANGUAGES
    }


def ensure_root() -> Page:
    """The tree's root; recreated only if a flushed test database lost the migration's one."""
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", locale=Locale.get_default()))
    return root


def remove_wagtail_welcome_page(root: Page) -> None:
    """Wagtail's migration creates a placeholder "Welcome" page; ours replaces it."""
    for page in root.get_children().exact_type(Page):
        if page.slug == "home" and not page.get_children().exists():
            page.delete()


def fill_page(page: Page, content: dict) -> None:
    page.title = content["title"]
    page.summary = content.get("summary", "")
    page.body = content["body"]


def ensure_home_pages(
    locales: dict[str, Locale], municipality: str | None = None
) -> dict[str, HomePage]:
    """The Georgian home page is the site's root; the English one is its translation."""
    root = ensure_root()
    remove_wagtail_welcome_page(root)
    default_code = settings.LANGUAGE_CODE
    homes: dict[str, HomePage] = {}
    home = HomePage.objects.filter(locale=locales[default_code]).first()
    if home is None:
        home = HomePage(slug="home", locale=locales[default_code])
        fill_page(home, home_content(default_code, municipality))
        root.add_child(instance=home)
        home.save_revision().publish()
    homes[default_code] = home
    for code, locale in locales.items():
        if code == default_code:
            continue
        translation = HomePage.objects.filter(locale=locale, translation_key=home.translation_key)
        page = translation.first()
        if page is None:
            page = home.copy_for_translation(locale)
            fill_page(page, home_content(code, municipality))
            page.save_revision().publish()
        homes[code] = page
    return homes


def ensure_default_site(home: HomePage, hostname: str = "localhost", port: int = 80) -> Site:
    """Wagtail's default site serves the Georgian home page.

    Created with the given address; an existing site keeps the name and address staff gave it
    in Settings -> Sites, except Wagtail's placeholder `localhost`, which takes the real one.
    """
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(
            is_default_site=True,
            hostname=hostname,
            port=port,
            site_name=HOME_CONTENT[settings.LANGUAGE_CODE]["title"],
        )
    elif site.hostname == "localhost" and hostname != "localhost":
        site.hostname, site.port = hostname, port
    site.root_page = home
    site.save()
    return site


def ensure_standard_pages(homes: dict[str, HomePage]) -> None:
    default_code = settings.LANGUAGE_CODE
    default_home = homes[default_code]
    for slug, content in STANDARD_PAGES.items():
        page = default_home.get_children().filter(slug=slug).specific().first()
        if page is None:
            title, html = content[default_code]
            page = StandardPage(title=title, slug=slug, body=[("paragraph", html)])
            default_home.add_child(instance=page)
            page.save_revision().publish()
        for code, home in homes.items():
            if code == default_code:
                continue
            if page.get_translations().filter(locale=home.locale).exists():
                continue
            translation = page.copy_for_translation(home.locale)
            title, html = content[code]
            translation.title = title
            translation.body = [("paragraph", html)]
            translation.save_revision().publish()


@dataclass(frozen=True)
class SiteAddress:
    hostname: str
    port: int


def site_address(base_url: str) -> SiteAddress:
    """Where the public site lives, from the same absolute base URL e-mails and the API use."""
    parts = urlsplit(base_url)
    default_port = 443 if parts.scheme == "https" else 80
    return SiteAddress(parts.hostname or "localhost", parts.port or default_port)


@transaction.atomic
def ensure_home_and_content_pages(
    address: SiteAddress | None = None, municipality: str | None = None
) -> dict[str, HomePage]:
    """Locales, both home pages, the default site, its municipality settings and the plain
    content pages; named from the data set `municipality` (settings.MUNICIPALITY by default)."""
    address = address or SiteAddress("localhost", 80)
    homes = ensure_home_pages(ensure_locales(), municipality)
    ensure_default_site(homes[settings.LANGUAGE_CODE], address.hostname, address.port)
    ensure_municipality(municipality)
    ensure_standard_pages(homes)
    ensure_privacy_notice(homes, municipality)
    return homes


@transaction.atomic
def setup_site(
    address: SiteAddress | None = None, municipality: str | None = None
) -> dict[str, HomePage]:
    """Every page a working site needs; returns the home pages by language code."""
    homes = ensure_home_and_content_pages(address, municipality)
    ensure_program_index(homes)
    ensure_needs_form(homes)
    ensure_results_pages(homes)
    return homes
