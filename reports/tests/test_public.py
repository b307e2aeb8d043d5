"""The public results and accountability pages: what is published, in which language, how
charts carry their data, the k-anonymity of ratings, and that nothing personal or unescaped
gets out."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone, translation

from feedback_forms.models import Need, Status
from feedback_forms.tests.factories import NeedFactory
from programs.models import ProgramCategory, Settlement
from programs.tests.factories import ProgramPageFactory
from reports.aggregation import compute_figures
from reports.models import BudgetCommitment, ResultsReport
from reports.publication import (
    program_rating_summary,
    public_program_ratings,
    public_totals,
    rating_for_public,
)
from reports.tests.factories import (
    BudgetCommitmentFactory,
    ProgressNoteFactory,
    ReportingPeriodFactory,
    ResultsReportFactory,
    evaluate,
    results_pages,
)

pytestmark = pytest.mark.django_db

CODE = "2026-H1"
ROADS_RATINGS = (5, 4, 4, 3, 2)  # 5 responses: mean 3.6, shown
WATER_RATINGS = (5, 5, 5, 1)  # 4 responses: mean 4.0, withheld


@pytest.fixture
def pages(site_content):
    return results_pages(site_content)


@pytest.fixture
def programs(evaluation_form):
    """Rural roads (Georgian and English) and a Georgian-only water program."""
    roads = evaluation_form.get_parent().specific
    water = ProgramPageFactory(
        parent=roads.get_parent(), slug="water", title="სასმელი წყალი", category=roads.category
    )
    return roads, water


def add_needs() -> list[Need]:
    city = Settlement.objects.get(name_en="Tskaltubo")
    village = Settlement.objects.exclude(unit=city.unit).first()
    roads = ProgramCategory.objects.get(slug="infrastructure")
    water = ProgramCategory.objects.get(slug="water")
    created = timezone.make_aware(datetime.datetime(2026, 3, 1, 10))
    needs = [
        NeedFactory(settlement=city, administrative_unit=city.unit, category=roads, status=status)
        for status in (Status.RESOLVED, Status.ASSIGNED, Status.NEW)
    ]
    needs.append(
        NeedFactory(
            settlement=village, administrative_unit=village.unit, category=water, status=Status.NEW
        )
    )
    Need.objects.update(reporting_period=CODE, budget_year=2026, created_at=created)
    Need.objects.filter(status=Status.RESOLVED).update(
        answered_at=created + datetime.timedelta(days=12)
    )
    return needs


@pytest.fixture
def report(pages, programs) -> ResultsReport:
    """A published 2026-H1 report with frozen figures: roads rated 5 times, water 4 times."""
    roads, water = programs
    for rating in ROADS_RATINGS:
        evaluate(roads, rating)
    for rating in WATER_RATINGS:
        evaluate(water, rating)
    add_needs()
    return ResultsReportFactory(
        period=ReportingPeriodFactory(budget_year=2026, half=1),
        figures=compute_figures(CODE, today=datetime.date(2026, 7, 10)),
        analysis_ka="ქართული ანალიზი",
        analysis_en="English analysis",
        minutes="შეხვედრის ოქმი",
    )


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def table_rows(table) -> list[list[str]]:
    return [
        [text(cell) for cell in row.find_all(["th", "td"])] for row in table.tbody.find_all("tr")
    ]


def ratings_table(page: BeautifulSoup) -> dict[str, list[str]]:
    table = page.select_one("#chart-ratings table")
    return {row[0]: row[1:] for row in table_rows(table)}


# --- Which reports are public -----------------------------------------------------------------


def test_index_lists_only_published_reports_newest_first(client: Client, report) -> None:
    ResultsReportFactory(period=ReportingPeriodFactory(budget_year=2025, half=2))
    for half, status in ((2, ResultsReport.Status.REVIEWED), (1, ResultsReport.Status.DRAFT)):
        ResultsReportFactory(
            period=ReportingPeriodFactory(budget_year=2027 if half == 2 else 2024, half=half),
            status=status,
        )
    page = soup(client.get("/en/results/"))
    table = page.find("caption", string=re.compile("Published results reports")).parent
    links = [row.th.a["href"] for row in table.tbody.find_all("tr")]
    assert links == ["/en/results/2026-H1/", "/en/results/2025-H2/"]
    first = table_rows(table)[0]
    assert first[2:] == ["9", "3.8", "4", "1"]  # evaluations, mean of all 9, needs, answered


@pytest.mark.parametrize(
    "status",
    [ResultsReport.Status.DRAFT, ResultsReport.Status.SENT, ResultsReport.Status.REVIEWED],
)
def test_unpublished_reports_are_not_reachable(client: Client, report, status) -> None:
    ResultsReport.objects.filter(pk=report.pk).update(status=status)
    assert client.get("/results/2026-H1/").status_code == 404
    assert client.get("/en/results/2026-H1/").status_code == 404
    assert "2026-H1" not in client.get("/results/").content.decode()


@pytest.mark.parametrize(
    "code", ["2025-H1", "2026-H3", "2026-h1", "26-H1", "abc", "2026-H1x", "٢٠٢٦-H1", "2026-H1%0A"]
)
def test_unknown_or_malformed_periods_are_404(client: Client, report, code: str) -> None:
    assert client.get(f"/results/{code}/").status_code == 404


def test_detail_in_georgian_and_in_english(client: Client, report) -> None:
    georgian = soup(client.get("/results/2026-H1/"))
    assert georgian.html["lang"] == "ka"
    assert "ქართული ანალიზი" in text(georgian.select_one("#analysis"))
    assert "შეხვედრის ოქმი" in text(georgian.select_one("#review"))
    english = soup(client.get("/en/results/2026-H1/"))
    assert english.html["lang"] == "en"
    assert "English analysis" in text(english.select_one("#analysis"))
    assert "Results for January–June 2026" in text(english.h1)
    assert "15.09.2026" in text(english.select_one("#review"))  # meeting date
    index = soup(client.get("/en/results/"))
    assert index.find("a", href="/en/results/2026-H1/") is not None


def test_review_lists_the_services_present(client: Client, report) -> None:
    from programs.models import MunicipalService

    service = MunicipalService.objects.get(slug="infrastructure")
    report.services_present.add(service)
    assert service.name_en in text(soup(client.get("/en/results/2026-H1/")).select_one("#review"))


def test_english_page_shows_english_program_titles(client: Client, report, programs) -> None:
    from wagtail.actions.convert_alias import ConvertAliasPageAction

    roads, _water = programs
    english_roads = roads.get_translations().get(locale__language_code="en").specific
    if english_roads.alias_of_id:  # copied along with the form: make it a real translation
        ConvertAliasPageAction(english_roads).execute(skip_permission_checks=True)
        english_roads.refresh_from_db()
    english_roads.title = "Rural roads"
    english_roads.save_revision().publish()
    rows = ratings_table(soup(client.get("/en/results/2026-H1/")))
    assert "Rural roads" in rows
    assert "სასმელი წყალი" in rows  # no English translation: the Georgian title


# --- Charts and their data tables -------------------------------------------------------------


def chart_pairs(chart) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    bars = [
        (
            text(row.select_one(".chart__label")),
            text(row.select_one(".chart__value")).split(" (")[0],
        )
        for row in chart.select(".chart__row")
    ]
    rows = [(row[0], row[1]) for row in table_rows(chart.table) if len(row) > 1]
    return bars, rows


def test_every_chart_has_a_table_with_the_same_numbers(client: Client, report) -> None:
    page = soup(client.get("/en/results/2026-H1/"))
    charts = page.select(".chart")
    assert {chart["id"] for chart in charts} >= {
        "chart-ratings",
        "chart-needs-by-category",
        "chart-needs-by-unit",
        "chart-response-times",
    }
    for chart in charts:
        table = chart.table
        assert table is not None and table.caption and text(table.caption)
        assert all(th.get("scope") in ("col", "row") for th in table.find_all("th"))
        assert chart.select_one(".chart__bars")["aria-hidden"] == "true"
        bars, rows = chart_pairs(chart)
        if chart["id"] == "chart-ratings":  # bars show the mean: the third column
            shown = ratings_table(page).items()
            rows = [(title, cells[1]) for title, cells in shown if len(cells) == 7]
        assert bars and bars == rows, chart["id"]
    categories = dict(chart_pairs(page.select_one("#chart-needs-by-category"))[1])
    assert categories == {"Infrastructure and roads": "3", "Water supply": "1"}
    responses = dict(chart_pairs(page.select_one("#chart-response-times"))[1])
    assert list(responses.values()) == ["1", "3", "0"]  # answered, open on time, overdue


def test_bars_are_drawn_to_scale_without_javascript(client: Client, report) -> None:
    html = client.get("/results/2026-H1/").content.decode()
    assert "<script" not in html
    page = BeautifulSoup(html, "html.parser")
    widths = [rect["width"] for rect in page.select("#chart-needs-by-category rect")]
    assert widths == ["100.0", "33.3"]
    assert [rect["width"] for rect in page.select("#chart-ratings rect")] == ["72.0"]  # 3.6 of 5


# --- k-anonymity ------------------------------------------------------------------------------


def test_rating_rule_at_the_threshold() -> None:
    distribution = {"1": 1, "2": 0, "3": 0, "4": 0, "5": 3}
    hidden = rating_for_public(4, 4.0, distribution)
    assert hidden == {
        "count": 4,
        "shown": False,
        "min_responses": 5,
        "mean": None,
        "distribution": None,
    }
    shown = rating_for_public(5, 3.6, distribution)
    assert shown["shown"] and shown["mean"] == 3.6 and shown["distribution"] == distribution


def test_threshold_comes_from_settings(settings) -> None:
    settings.FEEDBACK_PUBLIC_MIN_RESPONSES = 3
    assert rating_for_public(3, 2.0, {})["shown"]
    settings.FEEDBACK_PUBLIC_MIN_RESPONSES = 10
    assert not rating_for_public(9, 2.0, {})["shown"]


def test_four_responses_are_withheld_five_are_shown(client: Client, report, programs) -> None:
    page = soup(client.get("/en/results/2026-H1/"))
    rows = ratings_table(page)
    roads, water = programs
    assert rows[roads.title] == ["5", "3.6", "0", "1", "1", "2", "1"]
    assert rows[water.title][0] == "4"
    assert rows[water.title][1] == "Fewer than 5 responses: the rating is not published"
    assert len(rows[water.title]) == 2  # no mean, no distribution
    bar_labels = [text(label) for label in page.select("#chart-ratings .chart__label")]
    assert bar_labels == [roads.title]
    assert "4.0" not in text(page.select_one("#ratings"))


def test_overall_mean_is_withheld_below_the_threshold(client: Client, pages, programs) -> None:
    roads, _water = programs
    for rating in (1, 2):
        evaluate(roads, rating)
    ResultsReportFactory(
        period=ReportingPeriodFactory(budget_year=2026, half=1), figures=compute_figures(CODE)
    )
    totals = public_totals(compute_figures(CODE))
    assert totals["evaluations"] == 2 and totals["mean_rating"] is None
    page = soup(client.get("/en/results/2026-H1/"))
    assert "fewer than 5 responses" in text(page.select_one("#key-figures"))
    assert "1.5" not in text(page.select_one("#key-figures"))


def test_index_shows_the_latest_ratings_k_anonymously(client: Client, report, programs) -> None:
    roads, water = programs
    rows = ratings_table(soup(client.get("/en/results/")))
    assert rows[roads.title][:2] == ["5", "3.6"]
    assert rows[water.title] == ["4", "Fewer than 5 responses: the rating is not published"]


def test_public_program_ratings_never_carry_hidden_numbers(report, programs) -> None:
    ratings = {row["program_id"]: row for row in public_program_ratings(report.figures)}
    roads, water = programs
    assert ratings[water.pk]["mean"] is None and ratings[water.pk]["distribution"] is None
    assert ratings[roads.pk]["distribution"] == {"1": 0, "2": 1, "3": 1, "4": 2, "5": 1}


def test_program_rating_summary(report, programs) -> None:
    roads, water = programs
    with translation.override("ka"):
        summary = program_rating_summary(roads)
    assert summary["period"] == CODE and summary["shown"] and summary["mean"] == 3.6
    assert summary["report_url"] == "/results/2026-H1/"
    english = roads.get_translations().filter(locale__language_code="en").first().specific
    with translation.override("en"):
        english_summary = program_rating_summary(english)
    assert english_summary["count"] == 5 and english_summary["report_url"] == "/en/results/2026-H1/"
    withheld = program_rating_summary(water)
    assert withheld["count"] == 4 and not withheld["shown"] and withheld["mean"] is None
    with translation.override("en"):
        html = render_to_string("components/program_rating_summary.html", {"summary": withheld})
    assert "Fewer than 5 responses" in html and "<table" not in html
    with translation.override("en"):
        html = render_to_string(
            "components/program_rating_summary.html", {"summary": english_summary}
        )
    assert "3.6" in html and "<caption" in html and "<script" not in html
    with translation.override("ka"):
        html = render_to_string("components/program_rating_summary.html", {"summary": summary})
    assert "3,6" in html  # the Georgian decimal comma (cms/formats/ka)


def test_program_rating_summary_is_none_without_a_published_report(programs) -> None:
    roads, _water = programs
    evaluate(roads, 5)
    assert program_rating_summary(roads) is None
    ResultsReportFactory(status=ResultsReport.Status.REVIEWED, figures=compute_figures(CODE))
    assert program_rating_summary(roads) is None


# --- Accountability ---------------------------------------------------------------------------


@pytest.fixture
def commitments(report):
    needs = list(Need.objects.order_by("reference"))
    needs[0].title = "პირადი სათაური"
    needs[0].contact_email = "resident@example.com"
    needs[0].save()
    spam = NeedFactory(status=Status.SPAM, reference="SPAM-0001")
    lighting = BudgetCommitmentFactory(
        title_ka="ქუჩის განათება",
        title_en="Street lighting",
        report=report,
        budget_year=2027,
        estimated_cost=120000,
        needs=[needs[0], needs[1], spam],
    )
    ProgressNoteFactory(commitment=lighting, noted_on=datetime.date(2026, 11, 1))
    ProgressNoteFactory(
        commitment=lighting,
        noted_on=datetime.date(2027, 3, 1),
        text_ka="სამუშაოები დაიწყო.",
        text_en="Works have started.",
    )
    roads = BudgetCommitmentFactory(
        title_en="Road to Maghlaki", budget_year=2028, status=BudgetCommitment.Status.PROPOSED
    )
    dropped = BudgetCommitmentFactory(
        title_en="Swimming pool", budget_year=2027, status=BudgetCommitment.Status.DROPPED
    )
    return {"lighting": lighting, "roads": roads, "dropped": dropped, "needs": needs}


def test_accountability_groups_commitments_by_year(client: Client, commitments) -> None:
    page = soup(client.get("/en/accountability/"))
    years = [text(section.h2) for section in page.select("section.commitment-year")]
    assert years == ["Budget year 2028", "Budget year 2027", "Dropped commitments"]
    year_2027 = page.select("section.commitment-year")[1]
    assert [text(h3) for h3 in year_2027.find_all("h3")] == ["Street lighting"]
    dropped = page.select_one("section.commitment-year--dropped")
    assert "Swimming pool" in text(dropped) and "Status: Dropped" in text(dropped)
    assert "Swimming pool" not in text(year_2027)


def test_accountability_shows_progress_and_linked_needs(client: Client, commitments) -> None:
    page = soup(client.get("/en/accountability/"))
    article = page.find(
        "article", attrs={"aria-labelledby": f"commitment-{commitments['lighting'].pk}"}
    )
    body = text(article)
    assert "Status: In the draft budget" in body
    assert "120,000 ₾" in body  # cms.core.formatting: whole lari without decimals
    assert "2 needs" in body  # the spam one is left out
    references = [link.get_text() for link in article.select(".need-links a")]
    assert references == sorted(need.reference for need in commitments["needs"][:2])
    assert "SPAM-0001" not in body
    assert article.select_one(".need-links a")["href"].startswith("/en/track/?reference=")
    notes = [text(item) for item in article.select(".progress-notes li")]
    assert notes[0].startswith("01.03.2027 Works have started.")
    assert article.find("a", href="/en/results/2026-H1/") is not None  # decided at that review


def test_accountability_status_summary(client: Client, commitments) -> None:
    page = soup(client.get("/en/accountability/"))
    counts = dict(chart_pairs(page.select_one("#chart-commitment-status"))[1])
    assert counts == {
        "Proposed": "1",
        "In the draft budget": "1",
        "Adopted in the budget": "0",
        "Implemented": "0",
        "Dropped": "1",
    }


def test_accountability_shows_nothing_personal(client: Client, commitments) -> None:
    from django.contrib.auth import get_user_model

    author = get_user_model().objects.create_user("note.author", "author@example.com")
    commitments["lighting"].progress_notes.update(author=author)
    BudgetCommitment.objects.update(created_by=author)
    html = client.get("/accountability/").content.decode()
    need = commitments["needs"][0]
    for private in (
        "პირადი სათაური",
        "resident@example.com",
        need.person_digest,
        "note.author",
        "author@example.com",
    ):
        assert private not in html
    assert need.reference in html
    assert "<script" not in html


def test_commitments_are_public_before_their_report(client: Client, commitments) -> None:
    ResultsReport.objects.update(status=ResultsReport.Status.REVIEWED)
    page = soup(client.get("/en/accountability/"))
    article = page.find(
        "article", attrs={"aria-labelledby": f"commitment-{commitments['lighting'].pk}"}
    )
    assert "Street lighting" in text(article)
    assert "Decided at the review of January–June 2026" in text(article)
    assert article.find("a", href="/en/results/2026-H1/") is None  # no page to link to yet


def test_detail_lists_the_commitments_decided_at_the_review(client: Client, commitments) -> None:
    section = soup(client.get("/en/results/2026-H1/")).select_one("#commitments")
    assert [text(h3) for h3 in section.find_all("h3")] == ["Street lighting"]


def test_georgian_accountability_page(client: Client, commitments) -> None:
    page = soup(client.get("/accountability/"))
    assert page.html["lang"] == "ka"
    assert "ქუჩის განათება" in text(page)
    assert "ბიუჯეტის პროექტში შევიდა." in text(page)


def test_empty_pages(client: Client, pages) -> None:
    assert "<table" not in client.get("/en/results/").content.decode()
    assert soup(client.get("/en/accountability/")).select("article") == []


# --- Escaping ---------------------------------------------------------------------------------

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_staff_text_is_escaped(client: Client, commitments, report) -> None:
    ResultsReport.objects.filter(pk=report.pk).update(analysis_ka=XSS, minutes=XSS)
    BudgetCommitment.objects.filter(pk=commitments["lighting"].pk).update(
        title_ka=XSS, description_ka=XSS, evaluation_findings=XSS
    )
    commitments["lighting"].progress_notes.update(text_ka=XSS)
    for url in ("/results/2026-H1/", "/accountability/"):
        html = client.get(url).content.decode()
        assert "<script" not in html and "<img" not in html, url
        assert "&lt;script&gt;" in html, url
