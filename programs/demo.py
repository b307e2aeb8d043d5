"""Demo programs of a Georgian municipality, in Georgian and English.

Idempotent: programs are found by slug under the index and left alone when they exist, so staff
edits survive `load_demo_data`. Budget figures are illustrative, not the municipality's.
"""

import datetime
from dataclasses import dataclass, field, replace
from decimal import Decimal

from wagtail.models import Page

from cms.core.municipality import fill_names, names, site_settings
from programs.models import (
    AdministrativeUnit,
    MunicipalService,
    ProgramCategory,
    ProgramIndexPage,
    ProgramPage,
)
from programs.site_pages import ensure_program_index


@dataclass(frozen=True)
class DemoProgram:
    slug: str
    category: str
    service: str
    budget: int
    status: str
    title: dict[str, str]
    summary: dict[str, str]
    eligibility: dict[str, str]
    steps: dict[str, list[str]]
    units: list[str] = field(default_factory=list)
    municipality_wide: bool = False
    year: int = 2026
    start: datetime.date = datetime.date(2026, 1, 1)
    end: datetime.date = datetime.date(2026, 12, 31)


PROGRAMS = [
    DemoProgram(
        slug="social-assistance",
        category="social",
        service="social",
        budget=850_000,
        status="active",
        municipality_wide=True,
        title={
            "ka": "სოციალურად დაუცველი ოჯახების დახმარება",
            "en": "Assistance for socially vulnerable families",
        },
        summary={
            "ka": "ერთჯერადი და ყოველთვიური ფულადი დახმარება ოჯახებს, რომელთა სარეიტინგო ქულა 100 000-ზე ნაკლებია.",
            "en": "One-off and monthly cash assistance for families whose vulnerability score is below 100,000.",
        },
        eligibility={
            "ka": "<p>{municipality_in} რეგისტრირებული ოჯახები, რომლებიც რეგისტრირებულნი არიან სოციალურად დაუცველთა ერთიან ბაზაში.</p>",
            "en": "<p>Families registered in {municipality_in} and in the unified database of socially vulnerable families.</p>",
        },
        steps={
            "ka": [
                "<p>მიმართეთ მერიის სოციალურ სამსახურს ან თქვენი ადმინისტრაციული ერთეულის რწმუნებულს.</p>",
                "<p>წარადგინეთ პირადობის მოწმობა და ოჯახის სარეიტინგო ქულის ცნობა.</p>",
            ],
            "en": [
                "<p>Apply to City Hall's social service or to your administrative unit's representative.</p>",
                "<p>Bring your ID card and the certificate of the family's vulnerability score.</p>",
            ],
        },
    ),
    DemoProgram(
        slug="youth-initiatives",
        category="youth",
        service="culture",
        budget=120_000,
        status="active",
        municipality_wide=True,
        title={
            "ka": "ახალგაზრდული ინიციატივების მხარდაჭერა",
            "en": "Support for youth initiatives",
        },
        summary={
            "ka": "გრანტები 16–29 წლის ახალგაზრდების პროექტებისთვის: მოხალისეობა, განათლება, ციფრული უნარები.",
            "en": "Grants for projects of young people aged 16–29: volunteering, education, digital skills.",
        },
        eligibility={
            "ka": "<p>{municipality_of} 16–29 წლის ახალგაზრდები და ახალგაზრდული ორგანიზაციები.</p>",
            "en": "<p>Young people aged 16–29 and youth organisations from {municipality}.</p>",
        },
        steps={
            "ka": [
                "<p>შეავსეთ საპროექტო განაცხადი.</p>",
                "<p>წარადგინეთ ბიუჯეტი და განხორციელების გეგმა კონკურსის ვადაში.</p>",
            ],
            "en": [
                "<p>Fill in the project application.</p>",
                "<p>Submit a budget and an implementation plan before the competition deadline.</p>",
            ],
        },
    ),
    DemoProgram(
        slug="rural-roads",
        category="infrastructure",
        service="infrastructure",
        budget=2_400_000,
        status="active",
        units=["03", "05", "09", "12"],
        title={"ka": "სოფლის გზების რეაბილიტაცია", "en": "Rehabilitation of rural roads"},
        summary={
            "ka": "შიდა სასოფლო გზების ასფალტირება და სანიაღვრე არხების მოწყობა.",
            "en": "Asphalting of internal village roads and building storm drains.",
        },
        eligibility={
            "ka": "<p>პროგრამა ემსახურება გუმბრის, მაღლაკის, ოფშკვითისა და საკულიის ადმინისტრაციული ერთეულების მცხოვრებლებს.</p>",
            "en": "<p>The program serves residents of the Gumbra, Maghlaki, Opshkviti and Sakulia administrative units.</p>",
        },
        steps={
            "ka": ["<p>გზის პრობლემის შესახებ შეგიძლიათ დააფიქსიროთ საჭიროება ამ პლატფორმაზე.</p>"],
            "en": ["<p>You can record a road problem as a need on this platform.</p>"],
        },
    ),
    DemoProgram(
        slug="drinking-water",
        category="water",
        service="infrastructure",
        budget=1_100_000,
        status="active",
        units=["02", "07", "14"],
        title={
            "ka": "სასმელი წყლის მიწოდების გაუმჯობესება",
            "en": "Improving the drinking water supply",
        },
        summary={
            "ka": "სათავე ნაგებობების და შიდა ქსელის მოწყობა სოფლებში, სადაც წყალი გრაფიკით მიეწოდება.",
            "en": "New intakes and village networks where water is supplied on a schedule.",
        },
        eligibility={
            "ka": "<p>გვიშტიბის, მუხიანისა და ქვიტირის ადმინისტრაციული ერთეულების მოსახლეობა.</p>",
            "en": "<p>Residents of the Gvishtibi, Mukhiani and Kvitiri administrative units.</p>",
        },
        steps={
            "ka": ["<p>განცხადება არ არის საჭირო: სამუშაოები სრულდება გეგმის მიხედვით.</p>"],
            "en": ["<p>No application is needed: the works follow the plan.</p>"],
        },
    ),
    DemoProgram(
        slug="kindergartens",
        category="preschool",
        service="culture",
        budget=3_200_000,
        status="active",
        municipality_wide=True,
        title={"ka": "საბავშვო ბაღების პროგრამა", "en": "Kindergartens program"},
        summary={
            "ka": "უფასო სკოლამდელი განათლება და კვება მუნიციპალიტეტის 24 საბავშვო ბაღში.",
            "en": "Free preschool education and meals in the municipality's 24 kindergartens.",
        },
        eligibility={
            "ka": "<p>2-დან 6 წლამდე ასაკის ბავშვები, რომელთა მშობელი ან კანონიერი წარმომადგენელი რეგისტრირებულია მუნიციპალიტეტში.</p>",
            "en": "<p>Children aged 2 to 6 whose parent or legal guardian is registered in the municipality.</p>",
        },
        steps={
            "ka": [
                "<p>დაარეგისტრირეთ ბავშვი ელექტრონულად მიღების პერიოდში.</p>",
                "<p>წარადგინეთ ჯანმრთელობის ცნობა (ფორმა 100).</p>",
            ],
            "en": [
                "<p>Register your child online during the admission period.</p>",
                "<p>Bring a health certificate (form 100).</p>",
            ],
        },
    ),
    DemoProgram(
        slug="medicines-chronic-illness",
        category="health",
        service="social",
        budget=400_000,
        status="active",
        municipality_wide=True,
        title={
            "ka": "ქრონიკული დაავადებების მქონე პირების მედიკამენტებით უზრუნველყოფა",
            "en": "Medicines for people with chronic illnesses",
        },
        summary={
            "ka": "მედიკამენტების ღირებულების თანადაფინანსება პენსიონერებისა და შშმ პირებისთვის.",
            "en": "Co-funding of medicines for pensioners and people with disabilities.",
        },
        eligibility={
            "ka": "<p>მუნიციპალიტეტში რეგისტრირებული პენსიონერები და შეზღუდული შესაძლებლობის მქონე პირები ქრონიკული დაავადებით.</p>",
            "en": "<p>Pensioners and people with disabilities registered in the municipality who have a chronic illness.</p>",
        },
        steps={
            "ka": ["<p>მიმართეთ სოციალურ სამსახურს ექიმის დანიშნულებით.</p>"],
            "en": ["<p>Apply to the social service with your doctor's prescription.</p>"],
        },
    ),
    DemoProgram(
        slug="culture-and-sport",
        category="culture",
        service="culture",
        budget=300_000,
        status="closed",
        units=["01", "16"],
        year=2025,
        start=datetime.date(2025, 3, 1),
        end=datetime.date(2025, 11, 30),
        title={"ka": "კულტურული და სპორტული ღონისძიებები", "en": "Culture and sport events"},
        summary={
            "ka": "ფესტივალები, კონცერტები და სპორტული ტურნირები {place_in}.",
            "en": "Festivals, concerts and sports tournaments in {place_in}.",
        },
        eligibility={
            "ka": "<p>ღონისძიებები ღიაა ყველასთვის.</p>",
            "en": "<p>The events are open to everyone.</p>",
        },
        steps={
            "ka": ["<p>ღონისძიებების კალენდარი ქვეყნდება მერიის ვებგვერდზე.</p>"],
            "en": ["<p>The calendar of events is published on City Hall's website.</p>"],
        },
    ),
    DemoProgram(
        slug="smallholder-farmers",
        category="agriculture",
        service="economy",
        budget=250_000,
        status="planned",
        units=["04", "06", "10", "11", "15"],
        year=2027,
        start=datetime.date(2027, 2, 1),
        end=datetime.date(2027, 10, 31),
        title={"ka": "მცირე ფერმერების მხარდაჭერა", "en": "Support for smallholder farmers"},
        summary={
            "ka": "სათესლე მასალისა და ნერგების თანადაფინანსება მცირემიწიანი ფერმერებისთვის.",
            "en": "Co-funding of seeds and seedlings for farmers with small plots.",
        },
        eligibility={
            "ka": "<p>ფერმერები, რომელთაც აქვთ არაუმეტეს 1.25 ჰექტარი სასოფლო-სამეურნეო მიწა.</p>",
            "en": "<p>Farmers with no more than 1.25 hectares of agricultural land.</p>",
        },
        steps={
            "ka": ["<p>განაცხადების მიღება დაიწყება 2027 წლის თებერვალში.</p>"],
            "en": ["<p>Applications open in February 2027.</p>"],
        },
    ),
]

FAQ = {
    "ka": (
        "როგორ შევაფასო პროგრამა?",
        "<p>თუ ისარგებლეთ პროგრამით, შეავსეთ შეფასების ფორმა ამ გვერდზე.</p>",
    ),
    "en": (
        "How do I evaluate the program?",
        "<p>If you used the program, fill in the evaluation form on this page.</p>",
    ),
}


def program_body(program: DemoProgram, language: str, service: MunicipalService) -> list:
    question, answer = FAQ[language]
    return [
        ("eligibility", {"text": program.eligibility[language]}),
        ("how_to_apply", {"steps": program.steps[language]}),
        (
            "contact",
            {
                "name": service.name_ka if language == "ka" else service.name_en,
                "role": "",
                "phone": service.phone,
                "email": service.email,
            },
        ),
        ("faq", {"items": [{"question": question, "answer": answer}]}),
    ]


def with_names(program: DemoProgram) -> DemoProgram:
    """The program's texts with {form} placeholders naming the site's municipality."""
    contacts = site_settings()
    forms = {code: names(contacts, code) for code in program.title}

    def fill(texts: dict) -> dict:
        return {code: fill_names(text, forms[code]) for code, text in texts.items()}

    return replace(
        program,
        title=fill(program.title),
        summary=fill(program.summary),
        eligibility=fill(program.eligibility),
        steps=fill(program.steps),
    )


def fits_data_set(program: DemoProgram) -> bool:
    """A smaller municipality's data set may lack the program's category or service."""
    return (
        ProgramCategory.objects.filter(slug=program.category).exists()
        and MunicipalService.objects.filter(slug=program.service).exists()
    )


def ensure_demo_programs(homes: dict[str, Page]) -> list[ProgramPage]:
    indexes = ensure_program_index(homes)
    created = []
    for program in map(with_names, filter(fits_data_set, PROGRAMS)):
        page = indexes["ka"].get_children().filter(slug=program.slug).specific().first()
        if page is None:
            page = create_program(indexes["ka"], program)
            created.append(page)
        for code, index in indexes.items():
            if code != "ka" and page.get_translation_or_none(index.locale) is None:
                translate_program(page, index, program, code)
    return created


def create_program(index: ProgramIndexPage, program: DemoProgram) -> ProgramPage:
    service = MunicipalService.objects.get(slug=program.service)
    page = ProgramPage(
        title=program.title["ka"],
        slug=program.slug,
        summary=program.summary["ka"],
        body=program_body(program, "ka", service),
        category=ProgramCategory.objects.get(slug=program.category),
        responsible_service=service,
        budget_amount=Decimal(program.budget),
        budget_year=program.year,
        start_date=program.start,
        end_date=program.end,
        status=program.status,
        municipality_wide=program.municipality_wide,
    )
    page.administrative_units.set(AdministrativeUnit.objects.filter(code__in=program.units))
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def translate_program(
    page: ProgramPage, index: ProgramIndexPage, program: DemoProgram, code: str
) -> ProgramPage:
    translation = page.copy_for_translation(index.locale)
    translation.title = program.title[code]
    translation.summary = program.summary[code]
    service = page.responsible_service or MunicipalService.objects.get(slug=program.service)
    translation.body = program_body(program, code, service)
    translation.save_revision().publish()
    return translation
