"""Every admin URL, for every staff role: nobody sees a submission they may not see.

The walk asks Django's URL resolver for every pattern under /admin/, fills its parameters with
real ids of submissions (and other objects) the role must not see, fetches it plain, with a
search for a foreign reference and a bulk-action id list, and as CSV/XLSX where the view exports.
A foreign reference, contact e-mail or phone anywhere in a response body (or a redirect target)
is a leak. The superuser walk is the contrast: it must find them, or the detector is blind.
"""

import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from cms.core.roles import (
    ANALYSTS,
    CONTENT_EDITORS,
    MAYOR,
    PLATFORM_MANAGERS,
    SERVICE_REPRESENTATIVES,
)
from cms.core.tests.factories import UserFactory, staff_user
from feedback_forms import workflow
from feedback_forms.models import AnswerTemplate, Evaluation, ExportJob, Need, NeedPhoto, Status
from feedback_forms.tests.factories import EvaluationFactory, NeedFactory
from programs.models import Invitation, MunicipalService

pytestmark = pytest.mark.django_db

#: Views that end the session, or exist only to raise, are not fetched.
SKIPPED_URL_NAMES = {"wagtailadmin_logout", "wagtailadmin_error_test"}


@dataclass(frozen=True)
class Route:
    route: str
    name: str
    params: tuple[str, ...]
    view_class: Any
    model: Any


def walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            callback = pattern.callback
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield Route(
                route=prefix + str(pattern.pattern),
                name=name,
                params=tuple(pattern.pattern.regex.groupindex),
                view_class=getattr(callback, "view_class", None),
                model=getattr(callback, "view_initkwargs", {}).get("model"),
            )


def admin_routes() -> list[Route]:
    routes = [r for r in walk(get_resolver().url_patterns) if r.route.startswith("admin/")]
    return [r for r in routes if r.name not in SKIPPED_URL_NAMES]


@dataclass
class World:
    needs: dict[str, Need]
    evaluations: dict[str, Evaluation]
    program_page_id: int
    revision_id: int | None
    ids: dict[str, int]
    templates: dict = None
    #: Contacts of invitations to evaluate, by the key of the submissions they go with.
    invitation_contacts: dict[str, set[str]] = None

    def template_markers(self, *keys: str) -> set[str]:
        return {self.templates[key].title_ka for key in keys if key in (self.templates or {})}

    def submissions(self, *keys: str) -> list:
        return [s for key in keys for s in (self.needs.get(key), self.evaluations.get(key)) if s]

    def markers(self, *keys: str) -> set[str]:
        found = set()
        for submission in self.submissions(*keys):
            found.add(submission.reference)
            found.update(filter(None, [submission.contact_email, submission.contact_phone]))
        for key in keys:
            found.update((self.invitation_contacts or {}).get(key, set()))
        return found | self.template_markers(*keys)


@pytest.fixture
def world(evaluation_form, reference_data) -> World:
    social = MunicipalService.objects.get(slug="social")
    infrastructure = MunicipalService.objects.get(slug="infrastructure")
    manager = staff_user(PLATFORM_MANAGERS, username="manager")
    road_rep = staff_user(SERVICE_REPRESENTATIVES, username="giorgi")
    infrastructure.representatives.add(road_rep)
    program = evaluation_form.get_parent().specific
    # Created first, so a route's "first object" is the template the service must not see.
    templates = {
        "foreign": AnswerTemplate.objects.create(
            title_ka="FOREIGN-TEMPLATE-Q7", text_ka="გზა შეკეთდა.", service=infrastructure
        ),
        "own": AnswerTemplate.objects.create(
            title_ka="OWN-TEMPLATE-K2", text_ka="დახმარება დაინიშნა.", service=social
        ),
    }

    def contact(key: str, n: int) -> dict:
        return {
            "contact_email": f"{key}-{n}@resident.example",
            "contact_phone": f"+99555500{n:04d}",
        }

    needs = {
        "own": NeedFactory(service=social, status=Status.ASSIGNED, **contact("own", 1)),
        "foreign": NeedFactory(service=infrastructure, status=Status.ASSIGNED, **contact("far", 2)),
        "unassigned": NeedFactory(**contact("new", 3)),
    }
    evaluations = {
        "own": EvaluationFactory(service=social, **contact("own", 4)),
        "foreign": EvaluationFactory(service=infrastructure, program=program, **contact("far", 5)),
    }
    for need in needs.values():
        workflow.log_view(need, manager)
        workflow.add_note(need, "Called back", by=manager)
    workflow.assign(needs["foreign"], service=infrastructure, assignee=road_rep, by=manager)
    workflow.change_status(evaluations["foreign"], Status.IN_REVIEW, by=manager)
    workflow.log_view(evaluations["foreign"], manager)
    job = ExportJob.objects.create(requested_by=manager, kind="need", file_format="csv", query={})
    for need in needs.values():
        # The photo's bytes carry the need's reference: a photo served to the wrong role is a
        # leak the detector sees like any other.
        photo = NeedPhoto(need=need, token_digest=f"{need.pk:064x}", width=1, height=1, size=20)
        photo.file.save("p.jpg", ContentFile(b"\xff\xd8" + need.reference.encode()), save=False)
        photo.save()
    invited = Invitation.objects.create(
        program=program,
        person_digest="f" * 64,
        key_version=1,
        served_on=datetime.date(2026, 1, 5),
        contact_phone="+995555099999",
        contact_email="invited@resident.example",
    )
    revision = program.latest_revision
    return World(
        needs=needs,
        evaluations=evaluations,
        program_page_id=program.pk,
        revision_id=revision.pk if revision else None,
        ids={
            "user": road_rep.pk,
            "service": infrastructure.pk,
            "job": job.pk,
        },
        templates=templates,
        invitation_contacts={"foreign": {invited.contact_phone, invited.contact_email}},
    )


def value_for(param: str, route: Route, world: World) -> list[Any]:
    """Candidate values for one URL parameter: ids of what the role must not see."""
    foreign_need, foreign_eval = world.needs["foreign"], world.evaluations["foreign"]
    model = route.model if isinstance(route.model, type) else None
    if param in ("pk", "object_id"):
        if model is Evaluation:
            return [foreign_eval.pk]
        if model is Need or model is None:
            return [foreign_need.pk, foreign_eval.pk]
        if model.__name__ == "User":
            return [world.ids["user"]]
        if model is MunicipalService:
            return [world.ids["service"]]
        if model is AnswerTemplate:
            return [world.templates["foreign"].pk]
        instance = model._default_manager.order_by("pk").first()
        return [instance.pk if instance else 1]
    if param in ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk"):
        return [world.program_page_id]
    if param in ("revision_id", "revision_id_a"):
        return [world.revision_id or "earliest"]
    if param == "revision_id_b":
        return ["latest"]
    if param in ("app_label", "content_type_app_name", "app_name"):
        return ["feedback_forms"]
    if param in ("model_name", "content_type_model_name"):
        return ["need", "evaluation"]
    if param == "kind":
        return ["need", "evaluation"]
    if param == "job_id":
        return [world.ids["job"]]
    if param == "step":
        return ["send", "review", "publish"]
    if param in ("action", "action_name"):
        from wagtail.admin.views.bulk_action.registry import bulk_action_registry

        return sorted(
            {
                action.action_type
                for name in ("need", "evaluation")
                for action in bulk_action_registry.get_bulk_actions_for_model(
                    "feedback_forms", name
                )
            }
        )
    if param == "filter_spec":
        return ["original"]
    if param in ("uidb64", "token"):
        return ["x"]
    return [1]


def urls_for(route: Route, world: World) -> Iterator[str]:
    combos: list[dict] = [{}]
    for param in route.params:
        combos = [{**c, param: v} for c in combos for v in value_for(param, route, world)]
    for kwargs in combos:
        if (
            kwargs.get("model_name")
            and kwargs.get("kind")
            and kwargs["model_name"] != kwargs["kind"]
        ):
            continue
        try:
            yield reverse(route.name, kwargs=kwargs)
        except NoReverseMatch:
            continue


def query_variants(route: Route, world: World) -> list[str]:
    foreign = world.submissions("foreign", "unassigned")
    ids = "&".join(f"id={s.pk}" for s in foreign)
    variants = ["", f"?q={foreign[0].reference.lower()}&{ids}"]
    if route.name == "wagtail_bulk_action":
        variants.append("?id=all")
    exports = getattr(route.view_class, "list_export", None) or []
    if exports or route.name.endswith("site_history"):
        variants += ["?export=csv", "?export=xlsx"]
    return variants


def body_text(response) -> str:
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    if raw[:2] == b"PK":  # a workbook: read every XML part
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = b"".join(archive.read(name) for name in archive.namelist())
    text = raw.decode("utf-8", errors="replace")
    return text + " " + response.get("Location", "")


def escaped_forms(marker: str) -> set[str]:
    """A marker as it can appear in HTML, JSON or a URL."""
    return {marker, marker.replace("+", "\\u002B"), marker.replace("+", "%2B")}


def walk_admin(client: Client, world: World, markers: set[str]) -> tuple[list, list, int]:
    leaks, errors, fetched = [], [], 0
    client.raise_request_exception = False  # a crash is recorded with its URL, not raised
    patterns = {m: re.compile("|".join(re.escape(f) for f in escaped_forms(m))) for m in markers}
    for route in admin_routes():
        for url in urls_for(route, world):
            for query in query_variants(route, world):
                response = client.get(url + query)
                fetched += 1
                if response.status_code >= 500:
                    errors.append((url + query, response.status_code))
                    continue
                text = body_text(response)
                for marker, pattern in patterns.items():
                    if pattern.search(text):
                        leaks.append((url + query, marker))
    return leaks, errors, fetched


ROLES = {
    "editor": (CONTENT_EDITORS, ("own", "foreign", "unassigned")),
    "service": (SERVICE_REPRESENTATIVES, ("foreign", "unassigned")),
    "manager": (PLATFORM_MANAGERS, ()),
    "mayor": (MAYOR, ()),
    "analyst": (ANALYSTS, ()),
}


@pytest.mark.parametrize("role_name", sorted(ROLES))
def test_no_admin_url_shows_a_role_what_it_may_not_see(client: Client, world, role_name) -> None:
    role, foreign_keys = ROLES[role_name]
    user = staff_user(role, username=f"walker-{role_name}")
    if role_name == "service":
        MunicipalService.objects.get(slug="social").representatives.add(user)
    client.force_login(user)
    markers = world.markers(*foreign_keys)
    assert markers or not foreign_keys
    leaks, errors, fetched = walk_admin(client, world, markers)
    assert fetched > 300
    assert not errors, errors
    assert not leaks, "\n".join(sorted({url.split("?")[0] for url, _marker in leaks}))


def test_the_superuser_walk_finds_what_the_others_must_not(client: Client, world) -> None:
    """Contrast: the same walk sees every reference where the superuser may see it."""
    client.force_login(UserFactory(username="root", is_superuser=True))
    foreign = world.needs["foreign"]
    leaks, errors, _fetched = walk_admin(client, world, world.markers("foreign"))
    assert not errors, errors

    seen_at = {url for url, marker in leaks if marker == foreign.reference}
    list_url = reverse("wagtailsnippets_feedback_forms_need:list")
    chooser_url = reverse("wagtailsnippetchoosers_feedback_forms_need:choose")
    history_url = reverse("wagtailadmin_reports:site_history")
    assert any(url.startswith(list_url) for url in seen_at)
    assert any(url.startswith(chooser_url) for url in seen_at)
    assert any(url.startswith(history_url) for url in seen_at)
    photo_url = reverse("feedback_need_photo:view", args=[foreign.pk])
    assert photo_url in seen_at  # the photo view serves the photo to whoever may see the need
    assert foreign.contact_email in {marker for _url, marker in leaks}
    template_list = reverse("wagtailsnippets_feedback_forms_answertemplate:list")
    template = world.templates["foreign"].title_ka
    assert any(url.startswith(template_list) for url, marker in leaks if marker == template)


class TestTheReportedLeaks:
    """The three routes of issue 10, finding 3, each asserted on its own."""

    @pytest.fixture
    def representative(self, client: Client, world):
        user = staff_user(SERVICE_REPRESENTATIVES, username="nino")
        MunicipalService.objects.get(slug="social").representatives.add(user)
        client.force_login(user)
        return user

    def test_the_chooser_lists_and_returns_only_the_services_own(
        self, client, world, representative
    ) -> None:
        html = client.get(reverse("wagtailsnippetchoosers_feedback_forms_need:choose")).content
        assert world.needs["own"].reference.encode() in html
        assert world.needs["foreign"].reference.encode() not in html
        chosen = "wagtailsnippetchoosers_feedback_forms_need:chosen"
        assert client.get(reverse(chosen, args=[world.needs["foreign"].pk])).status_code == 404
        assert client.get(reverse(chosen, args=[world.needs["own"].pk])).status_code == 200

    def test_a_role_without_submission_permission_chooses_nothing(self, client, world) -> None:
        client.force_login(staff_user(CONTENT_EDITORS, username="editor"))
        html = client.get(reverse("wagtailsnippetchoosers_feedback_forms_need:choose")).content
        assert not any(need.reference.encode() in html for need in world.needs.values())

    def test_a_bulk_confirmation_for_a_foreign_id_is_not_found(
        self, client, world, representative
    ) -> None:
        foreign = world.needs["foreign"]
        url = reverse("wagtail_bulk_action", args=("feedback_forms", "need", "mark_spam"))
        response = client.get(f"{url}?id={foreign.pk}")
        assert response.status_code == 404
        response = client.get(f"{url}?id={foreign.pk}&id={world.needs['own'].pk}")
        assert response.status_code == 200
        assert foreign.reference not in response.content.decode()
        assert world.needs["own"].reference in response.content.decode()

    def test_site_history_shows_only_the_services_own_entries(
        self, client, world, representative
    ) -> None:
        html = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
        assert world.needs["own"].reference in html
        assert world.needs["foreign"].reference not in html
        csv = client.get(reverse("wagtailadmin_reports:site_history") + "?export=csv")
        body = b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()
        assert world.needs["own"].reference in body
        assert world.needs["foreign"].reference not in body

    def test_nobody_deletes_a_submission_through_the_bulk_delete(self, client, world) -> None:
        client.force_login(UserFactory(username="root", is_superuser=True))
        own = world.needs["own"]
        url = reverse("wagtail_bulk_action", args=("feedback_forms", "need", "delete"))
        client.post(f"{url}?id={own.pk}")
        assert Need.objects.filter(pk=own.pk).exists()


def test_the_migration_moves_old_entries_out_of_the_shared_table(reference_data) -> None:
    """Entries written before SubmissionLogEntry existed leave Wagtail's shared table."""
    from importlib import import_module

    from django.apps import apps
    from wagtail.models import ModelLogEntry

    from feedback_forms.models import SubmissionLogEntry

    migration = import_module("feedback_forms.migrations.0008_submission_audit_log")
    need = NeedFactory()
    ModelLogEntry.objects.log_action(need, workflow.LOG_VIEW)
    SubmissionLogEntry.objects.all().delete()
    migration.move_entries(apps, "wagtailcore.ModelLogEntry", "feedback_forms.SubmissionLogEntry")
    assert not ModelLogEntry.objects.filter(object_id=str(need.pk), label=need.reference).exists()
    moved = SubmissionLogEntry.objects.for_instance(need).get()
    assert (moved.action, moved.label) == (workflow.LOG_VIEW, need.reference)
