"""Issue 15 item 3: answer templates per category and service, in both languages, chosen in
the staff answer form and edited before sending (with and without JavaScript)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from cms.core.roles import PLATFORM_MANAGERS, SERVICE_REPRESENTATIVES
from cms.core.tests.factories import staff_user
from feedback_forms import workflow
from feedback_forms.models import AnswerTemplate, Need, Status
from feedback_forms.tests.factories import NeedFactory
from programs.models import MunicipalService, ProgramCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(reference_data):
    roads = MunicipalService.objects.get(slug="infrastructure")
    social = MunicipalService.objects.get(slug="social")
    manager = staff_user(PLATFORM_MANAGERS, username="manager")
    nino = staff_user(SERVICE_REPRESENTATIVES, username="nino")
    roads.representatives.add(nino)
    need = NeedFactory(language="en", title="Dark street")
    workflow.assign(need, service=roads, by=manager)
    category = need.category
    other_category = ProgramCategory.objects.exclude(pk=category.pk).first()
    templates = {
        "fits": AnswerTemplate.objects.create(
            title_ka="განათება შეკეთდა",
            title_en="Lights repaired",
            text_ka="ნათურები შეიცვალა.",
            text_en="The street lamps were replaced.",
            category=category,
            service=roads,
        ),
        "shared": AnswerTemplate.objects.create(
            title_ka="ზოგადი პასუხი", text_ka="გმადლობთ, განვიხილავთ.", text_en=""
        ),
        "other_category": AnswerTemplate.objects.create(
            title_ka="სხვა კატეგორია", text_ka="x", category=other_category, service=roads
        ),
        "other_service": AnswerTemplate.objects.create(
            title_ka="სოციალური შაბლონი-T9", text_ka="y", service=social
        ),
    }
    return {"need": need, "manager": manager, "nino": nino, "t": templates, "roads": roads}


def edit_url(need: Need) -> str:
    return reverse("wagtailsnippets_feedback_forms_need:edit", args=[need.pk])


def form_data(page: str) -> dict:
    """What the browser would post from the edit page as shown."""
    soup = BeautifulSoup(page, "html.parser")
    form = (
        soup.select_one("form[method=post]#w-editor-form") or soup.select("form[method=post]")[-1]
    )
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name = field["name"]
        if field.name == "textarea":
            data[name] = field.text.lstrip("\n")
        elif field.name == "select":
            chosen = field.select_one("option[selected]")
            data[name] = chosen["value"] if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.get("type") != "submit":
            data[name] = field.get("value", "")
    return data


def test_the_answer_form_offers_the_fitting_templates_in_the_residents_language(
    client, setup
) -> None:
    client.force_login(setup["nino"])
    page = client.get(edit_url(setup["need"])).content.decode()
    soup = BeautifulSoup(page, "html.parser")
    options = {
        o.text.strip(): o.get("data-text")
        for o in soup.select("select[name=answer_template] option")
        if o.get("value")
    }
    assert options == {
        "განათება შეკეთდა": "The street lamps were replaced.",
        "ზოგადი პასუხი": "გმადლობთ, განვიხილავთ.",  # no English written: the Georgian text
    }
    assert soup.select_one("button[name=use_template]")
    assert soup.select_one('script[src*="answer_templates.js"]')


def test_use_template_without_javascript_fills_the_answer_and_saves_nothing(client, setup) -> None:
    need, template = setup["need"], setup["t"]["fits"]
    client.force_login(setup["nino"])
    data = form_data(client.get(edit_url(need)).content.decode())
    data.update(answer_template=str(template.pk), use_template="1")
    response = client.post(edit_url(need), data)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert soup.select_one("textarea[name=public_answer]").text.strip() == template.text_en
    need.refresh_from_db()
    assert need.status == Status.ASSIGNED and need.public_answer == ""

    data = form_data(response.content.decode())
    data["public_answer"] = template.text_en + " Thank you for telling us."
    data["status"] = Status.RESOLVED
    response = client.post(edit_url(need), data)
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == Status.RESOLVED
    assert need.public_answer == "The street lamps were replaced. Thank you for telling us."


def test_another_services_template_is_not_used_even_if_posted(client, setup) -> None:
    need = setup["need"]
    client.force_login(setup["nino"])
    data = form_data(client.get(edit_url(need)).content.decode())
    data.update(answer_template=str(setup["t"]["other_service"].pk), use_template="1")
    response = client.post(edit_url(need), data)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert soup.select_one("textarea[name=public_answer]").text.strip() == ""


def test_a_representative_keeps_only_their_services_templates(client, setup) -> None:
    nino, templates = setup["nino"], setup["t"]
    client.force_login(nino)
    listing = client.get(reverse("wagtailsnippets_feedback_forms_answertemplate:list"))
    html = listing.content.decode()
    assert "განათება შეკეთდა" in html and "ზოგადი პასუხი" in html
    assert "სოციალური შაბლონი-T9" not in html
    edit = "wagtailsnippets_feedback_forms_answertemplate:edit"
    assert client.get(reverse(edit, args=[templates["other_service"].pk])).status_code == 404
    assert client.get(reverse(edit, args=[templates["shared"].pk])).status_code == 404
    assert client.get(reverse(edit, args=[templates["fits"].pk])).status_code == 200

    add = reverse("wagtailsnippets_feedback_forms_answertemplate:add")
    soup = BeautifulSoup(client.get(add).content.decode(), "html.parser")
    services = [o["value"] for o in soup.select("select[name=service] option") if o["value"]]
    assert services == [str(setup["roads"].pk)]
    response = client.post(
        add,
        {"title_ka": "ახალი", "text_ka": "ტექსტი", "service": str(setup["roads"].pk + 1000)},
    )
    assert response.status_code == 200 and not AnswerTemplate.objects.filter(title_ka="ახალი")
    social = MunicipalService.objects.get(slug="social")
    client.post(add, {"title_ka": "ახალი", "text_ka": "ტექსტი", "service": str(social.pk)})
    assert not AnswerTemplate.objects.filter(title_ka="ახალი").exists()
    response = client.post(
        add, {"title_ka": "ახალი", "text_ka": "ტექსტი", "service": str(setup["roads"].pk)}
    )
    assert response.status_code == 302
    assert AnswerTemplate.objects.get(title_ka="ახალი").service == setup["roads"]


def test_a_manager_keeps_shared_templates(client, setup) -> None:
    client.force_login(setup["manager"])
    add = reverse("wagtailsnippets_feedback_forms_answertemplate:add")
    response = client.post(
        add, {"title_ka": "ყველასთვის", "title_en": "For all", "text_ka": "ა", "text_en": "A"}
    )
    assert response.status_code == 302
    assert AnswerTemplate.objects.get(title_ka="ყველასთვის").service is None
