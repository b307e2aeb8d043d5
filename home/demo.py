"""Demo content: the home page and plain pages in Georgian and English, site contacts, staff.

Every function is idempotent: it finds what exists by a stable key and leaves editors' changes to
existing pages alone, so `load_demo_data` can run on every `make run`.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.models import Locale, Page, Site

from cms.core.models import MunicipalityContacts
from cms.core.roles import ROLES, SERVICE_REPRESENTATIVES, ensure_role_groups
from home.models import HomePage, StandardPage
from programs.models import MunicipalService

HOME_CONTENT = {
    "ka": {
        "title": "მოქალაქეთა უკუკავშირის პლატფორმა",
        "summary": (
            "წყალტუბოს მუნიციპალიტეტის მერიის პლატფორმა, სადაც შეგიძლიათ გაეცნოთ "
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
                    "წყალტუბოს მუნიციპალიტეტში (საჭიროება).</p>",
                },
            ),
        ],
    },
    "en": {
        "title": "Citizens' Feedback Platform",
        "summary": (
            "Tskaltubo Municipality City Hall's platform where you can read about municipal "
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
                    "(evaluations), or who are registered in Tskaltubo Municipality (needs).</p>",
                },
            ),
        ],
    },
}

STANDARD_PAGES = {
    "privacy": {
        "ka": (
            "კონფიდენციალურობის პოლიტიკა",
            "<p>პირად ნომერს არ ვინახავთ ღია სახით: ვინახავთ მხოლოდ საიდუმლო გასაღებით "
            "გამოთვლილ ჰეშს, დაბადების წელს და იმას, ხართ თუ არა 18 წლის. საკონტაქტო მონაცემებს "
            "ვიყენებთ მხოლოდ პასუხის გასაცემად და ვშლით საკითხის დახურვიდან გარკვეული დროის შემდეგ.</p>",
        ),
        "en": (
            "Privacy notice",
            "<p>We never store your personal number in clear: only a keyed hash, your birth "
            "year and whether you are 18 or older. Contact details are used only to answer you "
            "and are removed some time after your matter is closed.</p>",
        ),
    },
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

CONTACTS = {
    "name_ka": "წყალტუბოს მუნიციპალიტეტის მერია",
    "name_en": "Tskaltubo Municipality City Hall",
    "address_ka": "წყალტუბო, რუსთაველის ქ. №12",
    "address_en": "12 Rustaveli St, Tskaltubo",
    "phone": "+995 431 22 10 00",
    "email": "info@tskaltubo.gov.ge",
    "website": "https://tskaltubo.gov.ge",
    "opening_hours_ka": "ორშაბათი–პარასკევი, 09:00–18:00",
    "opening_hours_en": "Monday to Friday, 09:00–18:00",
}


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


def ensure_home_pages(locales: dict[str, Locale]) -> dict[str, HomePage]:
    """The Georgian home page is the site's root; the English one is its translation."""
    root = ensure_root()
    remove_wagtail_welcome_page(root)
    default_code = settings.LANGUAGE_CODE
    homes: dict[str, HomePage] = {}
    home = HomePage.objects.filter(locale=locales[default_code]).first()
    if home is None:
        home = HomePage(slug="home", locale=locales[default_code])
        fill_page(home, HOME_CONTENT[default_code])
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
            fill_page(page, HOME_CONTENT[code])
            page.save_revision().publish()
        homes[code] = page
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname = site.hostname or "localhost"
    site.port = site.port or 80
    site.root_page = home
    site.site_name = HOME_CONTENT[default_code]["title"]
    site.save()
    return homes


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


def ensure_contacts() -> None:
    site = Site.objects.get(is_default_site=True)
    contacts = MunicipalityContacts.for_site(site)
    if not contacts.address_ka:
        for field, value in CONTACTS.items():
            setattr(contacts, field, value)
        contacts.save()


@dataclass(frozen=True)
class DemoAccounts:
    usernames: list[str]
    password: str
    generated: bool


def ensure_demo_users(password: str | None) -> DemoAccounts:
    """One account per role. Without DEMO_PASSWORD a fresh password is generated and printed."""
    generated = not password
    password = password or secrets.token_urlsafe(12)
    groups = ensure_role_groups()
    user_model = get_user_model()
    for role in ROLES:
        user, _created = user_model.objects.get_or_create(
            username=role.username, defaults={"email": f"{role.username}@tskaltubo.gov.ge"}
        )
        user.set_password(password)
        user.is_active = True
        user.save()
        user.groups.add(groups[role.username])
        if role is SERVICE_REPRESENTATIVES:
            # The demo representative answers for the social service's programs and needs.
            for service in MunicipalService.objects.filter(slug="social"):
                service.representatives.add(user)
    return DemoAccounts([role.username for role in ROLES], password, generated)


@transaction.atomic
def load_site_content() -> dict[str, HomePage]:
    locales = ensure_locales()
    homes = ensure_home_pages(locales)
    ensure_standard_pages(homes)
    ensure_contacts()
    return homes
