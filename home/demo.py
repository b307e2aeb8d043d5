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
from home.models import HomePage, PrivacyNoticePage, StandardPage
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

PRIVACY_SLUG = "privacy"
PRIVACY_NOTICE = {
    "ka": {
        "title": "კონფიდენციალურობის პოლიტიკა",
        "summary": "როგორ ამუშავებს მერია თქვენს მონაცემებს, რას ინახავს, რამდენ ხანს და რა "
        "უფლებები გაქვთ.",
        "intro": "<p>პლატფორმაზე შეფასების ან საჭიროების გაგზავნისას თქვენი მონაცემები "
        "მუშავდება საქართველოს კანონის „პერსონალურ მონაცემთა დაცვის შესახებ“ (2023) "
        "შესაბამისად. ქვემოთ აღწერილია, ვინ ამუშავებს მათ, რისთვის და როგორ შეგიძლიათ "
        "თქვენი უფლებებით სარგებლობა.</p>",
        "controller_name": "წყალტუბოს მუნიციპალიტეტის მერია",
        "controller_address": "რუსთაველის ქ. №12, წყალტუბო 5400",
        "dpo_name": "პერსონალურ მონაცემთა დაცვის ოფიცერი",
        "purposes": "<ul><li>მუნიციპალური პროგრამების შეფასებების მიღება და შეჯამება "
        "(მოქალაქეთა უკუკავშირის ონლაინ პლატფორმის წესი, მუხლები 2.2 და 3.2);</li>"
        "<li>მოსახლეობის საჭიროებებისა და იდეების დაფიქსირება, შესაბამისი სამსახურისთვის "
        "გადაცემა და პასუხის გაცემა (მუხლები 2.3, 3.3 და 4);</li>"
        "<li>იმის შემოწმება, რომ მონაწილე არის საქართველოს 18 წლის ან უფროსი ასაკის "
        "მოქალაქე და ერთსა და იმავე პროგრამას ნახევარ წელიწადში ერთხელ აფასებს;</li>"
        "<li>შედეგების ანგარიშის მომზადება მერისთვის, წელიწადში ორჯერ მაინც, მხოლოდ "
        "შეჯამებული სახით.</li></ul>",
        "legal_basis": "<p>მონაცემები მუშავდება მერიის მიერ კანონით დაკისრებული საჯარო "
        "ამოცანების შესასრულებლად, მუნიციპალიტეტის წესის „მოქალაქეთა უკუკავშირის ონლაინ "
        "პლატფორმის შესახებ“ საფუძველზე, და თქვენი თანხმობით, რომელსაც ფორმის "
        "გაგზავნამდე აცხადებთ. საკონტაქტო მონაცემების მითითება ნებაყოფლობითია.</p>",
        "recipients": "<p>თქვენს პასუხებს ხედავს საზოგადოებასთან ურთიერთობისა და ღონისძიებების "
        "მართვის განყოფილება და ის სამსახური, რომელსაც საკითხი გადაეცა; მერი და "
        "ანალიტიკოსები იღებენ შეჯამებულ შედეგებს. მონაცემებს ინახავს მერიის სერვერი; ისინი "
        "საქართველოს ფარგლებს გარეთ არ გადაეცემა.</p>",
        "retention_notes": "<p>შეფასებები და საჭიროებები საკონტაქტო მონაცემების გარეშე "
        "ინახება მერიის ანგარიშგებისა და არქივისთვის საჭირო ვადით.</p>",
        "rights": "<p>თქვენ გაქვთ უფლება:</p><ul>"
        "<li>მიიღოთ ინფორმაცია თქვენი მონაცემების დამუშავების შესახებ და მათი ასლი;</li>"
        "<li>მოითხოვოთ არაზუსტი მონაცემების გასწორება;</li>"
        "<li>მოითხოვოთ მონაცემების წაშლა ან დამუშავების შეზღუდვა;</li>"
        "<li>გააპროტესტოთ დამუშავება და ნებისმიერ დროს გამოიხმოთ თანხმობა;</li>"
        "<li>მიმართოთ პერსონალურ მონაცემთა დაცვის სამსახურს ან სასამართლოს.</li></ul>",
        "requests_postal_address": "წყალტუბოს მუნიციპალიტეტის მერია\n"
        "პერსონალურ მონაცემთა დაცვის ოფიცერი\nრუსთაველის ქ. №12, წყალტუბო 5400",
        "requests_notes": "<p>მერია პასუხს გცემთ კანონით დადგენილ ვადაში. თქვენი "
        "მონაცემების მოსაძებნად მოგვწერეთ მიმართვის ნომერი, ან მობრძანდით მერიაში პირადობის "
        "დამადასტურებელი დოკუმენტით. ელფოსტით პირად ნომერს არასდროს გთხოვთ.</p>",
        "complaints": "<p>თუ ფიქრობთ, რომ თქვენი უფლებები დაირღვა, შეგიძლიათ მიმართოთ "
        "პერსონალურ მონაცემთა დაცვის სამსახურს: "
        '<a href="https://personaldata.ge">personaldata.ge</a>.</p>',
    },
    "en": {
        "title": "Privacy notice",
        "summary": "How City Hall processes your data, what it keeps, for how long, and your "
        "rights.",
        "intro": "<p>When you send an evaluation or a need on this platform, your data is "
        "processed under the Law of Georgia on Personal Data Protection (2023). This notice "
        "says who processes it, why, and how you can use your rights.</p>",
        "controller_name": "Tskaltubo Municipality City Hall",
        "controller_address": "12 Rustaveli St, Tskaltubo 5400, Georgia",
        "dpo_name": "Personal data protection officer",
        "purposes": "<ul><li>receiving and summarising evaluations of municipal programs (the "
        "rule on the Citizens' Feedback Online Platform, Art. 2.2 and 3.2);</li>"
        "<li>recording residents' needs and ideas, passing them to the responsible service and "
        "answering them (Art. 2.3, 3.3 and 4);</li>"
        "<li>checking that a participant is a citizen of Georgia aged 18 or older, and "
        "evaluates a program once per half-year;</li>"
        "<li>preparing the results report for the mayor, at least twice a year, in summary "
        "form only.</li></ul>",
        "legal_basis": "<p>The data is processed to carry out City Hall's public tasks under "
        "the law, on the basis of the municipality's rule on the Citizens' Feedback Online "
        "Platform, and with the consent you give before sending a form. Giving contact "
        "details is optional.</p>",
        "recipients": "<p>Your answers are seen by the Public Relations and Events Management "
        "Division and by the service the matter is passed to; the mayor and analysts receive "
        "summarised results. The data is kept on City Hall's server and is not transferred "
        "outside Georgia.</p>",
        "retention_notes": "<p>Evaluations and needs, without contact details, are kept as "
        "long as City Hall's reporting and archives require.</p>",
        "rights": "<p>You have the right to:</p><ul>"
        "<li>be told how your data is processed and get a copy of it;</li>"
        "<li>have inaccurate data corrected;</li>"
        "<li>have your data erased or its processing restricted;</li>"
        "<li>object to the processing and withdraw your consent at any time;</li>"
        "<li>turn to the Personal Data Protection Service or to a court.</li></ul>",
        "requests_postal_address": "Tskaltubo Municipality City Hall\n"
        "Personal data protection officer\n12 Rustaveli St, Tskaltubo 5400, Georgia",
        "requests_notes": "<p>City Hall answers within the time the Law sets. To find your data, "
        "give us the reference of your submission, or come to City Hall with an identity "
        "document. We never ask for your personal number by e-mail.</p>",
        "complaints": "<p>If you think your rights were breached, you can turn to the Personal "
        'Data Protection Service of Georgia: <a href="https://personaldata.ge">personaldata.ge'
        "</a>.</p>",
    },
}
PRIVACY_CONTACTS = {
    "controller_email": "info@tskaltubo.gov.ge",
    "controller_phone": "+995 431 22 10 00",
    "dpo_email": "dpo@tskaltubo.gov.ge",
    "requests_email": "dpo@tskaltubo.gov.ge",
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


def ensure_privacy_notice(homes: dict[str, HomePage]) -> None:
    """The privacy notice in every language, once; editors' changes are kept.

    A database made before the notice had a page type of its own has a plain page at
    /privacy/: the notice then takes the slug privacy-notice and the forms link to it.
    """
    default_code = settings.LANGUAGE_CODE
    default_home = homes[default_code]
    notice = PrivacyNoticePage.objects.filter(locale=default_home.locale).first()
    if notice is None:
        slug = PRIVACY_SLUG
        if default_home.get_children().filter(slug=slug).exists():
            slug = f"{PRIVACY_SLUG}-notice"
        notice = PrivacyNoticePage(slug=slug, **PRIVACY_CONTACTS, **PRIVACY_NOTICE[default_code])
        default_home.add_child(instance=notice)
        notice.save_revision().publish()
    for code, home in homes.items():
        if code == default_code or notice.get_translations().filter(locale=home.locale).exists():
            continue
        translation = notice.copy_for_translation(home.locale)
        for field, value in PRIVACY_NOTICE[code].items():
            setattr(translation, field, value)
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
    ensure_privacy_notice(homes)
    ensure_contacts()
    return homes
