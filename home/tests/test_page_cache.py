"""Public pages kept for anonymous visitors (cms.core.page_cache), as residents and editors see
them: a repeated visit is answered from the cache, an editor's change is visible at once in both
languages, and nobody with something of their own (a session, a message) gets a kept page."""

import itertools
import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.core import page_cache
from feedback_forms.tests.journey import hidden_fields
from programs.models import MunicipalService, ProgramIndexPage, ProgramPage

pytestmark = pytest.mark.django_db

KA_PAGE = "/programs/rural-roads/"
EN_PAGE = "/en/programs/rural-roads/"


@pytest.fixture
def editor(db) -> User:
    return User.objects.create_superuser("editor", "editor@example.ge", "pw-editor-123")


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


def visit(client: Client, path: str) -> tuple[str, bool, object]:
    """(html, answered from the cache, response): from the cache means the only statement was
    the cache's own lookup (no page, no session, no site query)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    statements = [query["sql"] for query in queries.captured_queries]
    cached = len(statements) <= 1 and all("cms_page_cache" in sql for sql in statements)
    return response.content.decode(), cached, response


def program(path_slug: str = "rural-roads", language: str = "ka") -> ProgramPage:
    return ProgramPage.objects.get(slug=path_slug, locale__language_code=language)


def test_second_anonymous_visit_is_answered_from_the_cache(demo_programs) -> None:
    client = Client()
    for path in (KA_PAGE, EN_PAGE, "/programs/", "/", "/en/"):
        first, first_cached, _ = visit(client, path)
        second, second_cached, response = visit(client, path)
        assert not first_cached
        assert second_cached, path
        assert second == first
        assert not response.cookies
        assert "Cookie" in response["Vary"]


def test_georgian_and_english_are_never_mixed(demo_programs) -> None:
    client = Client()
    for _ in range(2):
        ka, _cached, ka_response = visit(client, KA_PAGE)
        en, _cached, en_response = visit(client, EN_PAGE)
        assert "<h1>სოფლის გზების რეაბილიტაცია</h1>" in ka
        assert '<html lang="ka">' in ka
        assert ka_response["Content-Language"] == "ka"
        assert "<h1>Rehabilitation of rural roads</h1>" in en
        assert '<html lang="en">' in en
        assert en_response["Content-Language"] == "en"
    # The browser's language never changes what "/" says (Georgian first).
    html, cached, _ = visit(Client(headers={"accept-language": "en"}), KA_PAGE)
    assert cached and '<html lang="ka">' in html


def test_an_editors_publish_is_visible_at_once_in_both_languages(demo_programs, editor) -> None:
    client = Client()
    visit(client, KA_PAGE), visit(client, EN_PAGE)
    assert visit(client, KA_PAGE)[1] and visit(client, EN_PAGE)[1]

    georgian = program()
    georgian.title = "გზების ახალი სათაური"
    georgian.status = ProgramPage.Status.CLOSED
    georgian.save_revision(user=editor).publish(user=editor)
    english = program(language="en")
    english.title = "A new title for the roads"
    english.save_revision(user=editor).publish(user=editor)

    ka, ka_cached, _ = visit(client, KA_PAGE)
    en, en_cached, _ = visit(client, EN_PAGE)
    assert not ka_cached and not en_cached
    assert "<h1>გზების ახალი სათაური</h1>" in ka
    assert "<h1>A new title for the roads</h1>" in en
    assert "status--closed" in en  # the Georgian page's facts, synchronised on publish
    # The index lists the new title too, and the home page's menu follows publishing.
    assert "გზების ახალი სათაური" in visit(client, "/programs/")[0]


def test_unpublish_move_and_delete_in_the_admin_reach_visitors(
    demo_programs, editor_client
) -> None:
    client = Client()
    visit(client, KA_PAGE), visit(client, "/programs/")
    page = program()
    response = editor_client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    assert response.status_code == 302
    assert client.get(KA_PAGE).status_code == 404
    assert "რეაბილიტაცია" not in visit(client, "/programs/")[0]

    other = program("kindergartens")
    visit(client, "/programs/kindergartens/")
    response = editor_client.post(reverse("wagtailadmin_pages:delete", args=[other.pk]))
    assert response.status_code == 302
    assert client.get("/programs/kindergartens/").status_code == 404


def test_a_renamed_service_and_a_published_report_reach_the_program_page(
    demo_programs,
) -> None:
    client = Client()
    visit(client, KA_PAGE)
    service = program().responsible_service
    assert service is not None
    service.name_ka = "გზების ახალი სამსახური"
    service.save()
    assert "გზების ახალი სამსახური" in visit(client, KA_PAGE)[0]
    assert MunicipalService.objects.filter(name_ka="გზების ახალი სამსახური").exists()


def test_a_published_report_reaches_the_program_page_in_both_languages(
    site_content, evaluation_form
) -> None:
    import datetime

    from reports.aggregation import compute_figures
    from reports.tests.factories import (
        ReportingPeriodFactory,
        ResultsReportFactory,
        evaluate,
        results_pages,
    )

    results_pages(site_content)
    roads = evaluation_form.get_parent().specific
    english_url = roads.get_translations().get(locale__language_code="en").url
    client = Client()
    for _ in range(2):
        assert "What residents said" not in visit(client, english_url)[0]
        assert "rating-summary" not in visit(client, roads.url)[0]
    assert visit(client, roads.url)[1]
    for rating in (5, 4, 4, 3, 2):
        evaluate(roads, rating)
    # A new evaluation alone changes nothing public: the page shows published reports only.
    assert visit(client, roads.url)[1]
    ResultsReportFactory(
        period=ReportingPeriodFactory(budget_year=2026, half=1),
        figures=compute_figures("2026-H1", today=datetime.date(2026, 7, 10)),
    )
    assert "What residents said" in visit(client, english_url)[0]
    assert "rating-summary" in visit(client, roads.url)[0]


def test_a_signed_in_user_never_gets_a_kept_page(demo_programs, editor_client) -> None:
    anonymous = Client()
    visit(anonymous, KA_PAGE)
    # A change no signal announces: only the cache's life bounds what anonymous visitors see,
    # while the editor sees the database as it is.
    ProgramPage.objects.filter(pk=program().pk).update(summary="ახალი მოკლე აღწერა")
    assert visit(anonymous, KA_PAGE)[1]
    for _ in range(2):
        html, cached, _ = visit(editor_client, KA_PAGE)
        assert not cached
        assert "ახალი მოკლე აღწერა" in html
    assert "ახალი მოკლე აღწერა" not in visit(anonymous, KA_PAGE)[0]


def test_visitors_with_a_message_or_a_session_get_a_fresh_page(demo_programs) -> None:
    client = Client()
    visit(client, KA_PAGE)
    client.cookies["messages"] = "anything"
    assert not visit(client, KA_PAGE)[1]
    resident = Client()
    resident.cookies["sessionid"] = "a-residents-session"
    assert not visit(resident, KA_PAGE)[1]


def test_a_filtered_or_searched_index_is_always_fresh(demo_programs) -> None:
    client = Client()
    for _ in range(2):
        assert not visit(client, "/programs/?q=გზა")[1]
        assert not visit(client, "/programs/?page=1")[1]


def review_step(client: Client, form_url: str, html: str):
    from feedback_forms.tests.factories import evaluation_data

    return client.post(
        form_url,
        {
            **evaluation_data(),
            **hidden_fields(html),
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "action": "review",
        },
    )


def test_a_kept_form_page_gets_each_visitors_own_tokens_and_posts_work(
    evaluation_form, instant_forms
) -> None:
    form_url = evaluation_form.url
    first_visitor = Client(enforce_csrf_checks=True)
    first, first_cached, first_response = visit(first_visitor, form_url)
    assert not first_cached and "csrftoken" in first_response.cookies
    pages = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        html, cached, response = visit(visitor, form_url)
        assert cached  # the questions come from the kept shell, not from a render
        assert "csrftoken" in response.cookies  # a new visitor gets a CSRF cookie as usual
        assert "Cookie" in response["Vary"] and "private" in response["Cache-Control"]
        checked = review_step(visitor, form_url, html)
        assert checked.status_code == 200, checked.content.decode()[:500]
        assert "csrfmiddlewaretoken" in checked.content.decode()
        pages.append(html)
    tokens = [
        re.findall(
            r'name="(?:csrfmiddlewaretoken|form_token|idempotency_key)" '
            r'value="([^"]+)"',
            html,
        )
        for html in (first, *pages)
    ]
    assert all(len(values) == 3 for values in tokens)
    for a, b in itertools.combinations(tokens, 2):
        assert not set(a) & set(b)  # no visitor ever sees another's values
    assert "\ue000" not in "".join(pages)
    # The same visitor again: the kept shell with a token for the CSRF cookie it already has.
    cookie = first_visitor.cookies["csrftoken"].value
    again, cached, response = visit(first_visitor, form_url)
    assert cached and response.cookies["csrftoken"].value == cookie  # renewed, as Django does
    assert review_step(first_visitor, form_url, again).status_code == 200


def test_a_form_posted_without_its_csrf_cookie_is_still_refused(evaluation_form) -> None:
    visit(Client(), evaluation_form.url)
    visitor = Client(enforce_csrf_checks=True)
    html, cached, _ = visit(visitor, evaluation_form.url)
    assert cached
    visitor.cookies.pop("csrftoken")
    from feedback_forms.tests.factories import evaluation_data

    refused = visitor.post(
        evaluation_form.url, {**evaluation_data(), **hidden_fields(html), "action": "review"}
    )
    assert refused.status_code == 403


def test_a_published_question_reaches_the_kept_form_at_once(evaluation_form, editor) -> None:
    from feedback_forms.tests.factories import EvaluationFormFieldFactory

    client = Client()
    visit(client, evaluation_form.url)
    assert visit(client, evaluation_form.url)[1]
    EvaluationFormFieldFactory(page=evaluation_form, label="ახალი კითხვა", field_type="multiline")
    evaluation_form.save_revision(user=editor).publish(user=editor)
    html, cached, _ = visit(client, evaluation_form.url)
    assert not cached and "ახალი კითხვა" in html


def test_an_invitation_link_is_never_kept(evaluation_form) -> None:
    client = Client()
    for _ in range(2):
        html, cached, _ = visit(client, evaluation_form.url + "?code=ABCD1234")
        assert not cached


def test_pages_that_are_not_marked_are_not_kept(site_content) -> None:
    privacy = "/privacy/"
    client = Client()
    response = client.get(privacy)
    if response.status_code != 200:
        pytest.skip("no privacy notice page in the site content")
    assert not visit(client, privacy)[1]


def test_restricted_pages_are_not_kept(demo_programs) -> None:
    from wagtail.models import PageViewRestriction

    index = ProgramIndexPage.objects.get(locale__language_code="ka")
    PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    client = Client()
    for _ in range(2):
        assert client.get(KA_PAGE).status_code == 302


def test_the_cache_can_be_switched_off(settings, demo_programs) -> None:
    settings.PAGE_CACHE_ENABLED = False
    client = Client()
    visit(client, KA_PAGE)
    assert not visit(client, KA_PAGE)[1]


def test_a_lost_generation_makes_every_entry_stale(demo_programs) -> None:
    client = Client()
    visit(client, KA_PAGE)
    assert visit(client, KA_PAGE)[1]
    page_cache.page_cache().delete(page_cache.GENERATION_KEY)
    assert not visit(client, KA_PAGE)[1]
    assert visit(client, KA_PAGE)[1]


def test_a_cache_that_fails_serves_fresh_pages_and_never_an_error(demo_programs, monkeypatch):
    from django.core.cache.backends.db import DatabaseCache

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    client = Client()
    visit(client, KA_PAGE)
    for method in ("get_many", "set", "add"):
        monkeypatch.setattr(DatabaseCache, method, broken)
    for _ in range(2):
        html, cached, _response = visit(client, KA_PAGE)
        assert not cached and "<h1>სოფლის გზების რეაბილიტაცია</h1>" in html
    page = program()
    page.title = "სათაური ქეშის გარეშე"
    page.save_revision().publish()  # an editor's publish still works
    assert "სათაური ქეშის გარეშე" in visit(client, KA_PAGE)[0]
