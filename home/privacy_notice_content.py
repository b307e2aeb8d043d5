"""The privacy notice every site publishes (Law of Georgia on Personal Data Protection, 2023):
created by `setup_site` in every language, then edited by editors in the admin.

The text names the municipality of the selected data set (its city hall from the site settings,
the addresses from municipality.json); a real deployment edits the controller, the data
protection officer and the routes for requests before going live (README, production section).
"""

from django.conf import settings

from cms.core.municipality import data_set, fill_names, names, site_settings
from home.models import HomePage, PrivacyNoticePage

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
        "controller_name": "{city_hall}",
        "controller_address": "{controller_address}",
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
        "requests_postal_address": "{city_hall}\n"
        "პერსონალურ მონაცემთა დაცვის ოფიცერი\n{controller_address}",
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
        "controller_name": "{city_hall}",
        "controller_address": "{controller_address}",
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
        "requests_postal_address": "{city_hall}\n"
        "Personal data protection officer\n{controller_address}",
        "requests_notes": "<p>City Hall answers within the time the Law sets. To find your data, "
        "give us the reference of your submission, or come to City Hall with an identity "
        "document. We never ask for your personal number by e-mail.</p>",
        "complaints": "<p>If you think your rights were breached, you can turn to the Personal "
        'Data Protection Service of Georgia: <a href="https://personaldata.ge">personaldata.ge'
        "</a>.</p>",
    },
}
#: The contact fields the notice takes from the data set's "privacy" section.
PRIVACY_CONTACT_FIELDS = ("controller_email", "controller_phone", "dpo_email", "requests_email")


def privacy_contacts(municipality: str | None = None) -> dict[str, str]:
    privacy = data_set(municipality)["privacy"]
    return {field: privacy.get(field, "") for field in PRIVACY_CONTACT_FIELDS}


def privacy_notice(language: str, municipality: str | None = None) -> dict[str, str]:
    """The notice's text in one language, naming the municipality and its address from the
    site settings and the data set ({...} placeholders above)."""
    forms = names(site_settings(), language, municipality)
    forms["controller_address"] = data_set(municipality)["privacy"].get(
        f"controller_address_{language}", ""
    )
    return fill_names(PRIVACY_NOTICE[language], forms)


def ensure_privacy_notice(homes: dict[str, HomePage], municipality: str | None = None) -> None:
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
        notice = PrivacyNoticePage(
            slug=slug,
            **privacy_contacts(municipality),
            **privacy_notice(default_code, municipality),
        )
        default_home.add_child(instance=notice)
        notice.save_revision().publish()
    for code, home in homes.items():
        if code == default_code or notice.get_translations().filter(locale=home.locale).exists():
            continue
        translation = notice.copy_for_translation(home.locale)
        for field, value in privacy_notice(code, municipality).items():
            setattr(translation, field, value)
        translation.save_revision().publish()
