"""The Georgian catalogues of Wagtail's and Django's strings that the project ships
(locale/upstream, built by locale/upstream/build.py) are complete, sound and in use."""

import re
import sys
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cms.core.georgian import has_mtavruli

UPSTREAM = Path(__file__).resolve().parents[3] / "locale" / "upstream"
sys.path.insert(0, str(UPSTREAM))

from sources import key, upstream_entries  # noqa: E402

PLACEHOLDER = re.compile(r"%\(\w+\)[sdrif]|%[sd]|\{\w*\}")
DOMAINS = ("django", "djangojs")


def catalogue(domain: str) -> polib.POFile:
    return polib.pofile(str(UPSTREAM / "ka" / "LC_MESSAGES" / f"{domain}.po"))


def texts(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_entry_has_georgian_and_none_is_fuzzy(domain: str) -> None:
    entries = [entry for entry in catalogue(domain) if not entry.obsolete]
    assert len(entries) > (1500 if domain == "django" else 80)
    untranslated = [
        entry.msgid for entry in entries if "fuzzy" in entry.flags or not all(texts(entry))
    ]
    assert untranslated == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_catalogue_holds_every_upstream_msgid(domain: str) -> None:
    """After a Wagtail or Django upgrade, new strings must be added (build.py) and translated."""
    ours = {key(entry) for entry in catalogue(domain)}
    missing = [key(entry) for entry in upstream_entries(domain) if key(entry) not in ours]
    assert missing == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_placeholders_survive_and_no_text_has_mtavruli(domain: str) -> None:
    broken, capitals = [], []
    for entry in catalogue(domain):
        wanted = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for text in texts(entry):
            found = sorted(PLACEHOLDER.findall(text))
            singular_may_drop = entry.msgid_plural and set(found) <= set(wanted)
            if found != wanted and not singular_may_drop:
                broken.append((entry.msgid, text))
            if has_mtavruli(text):
                capitals.append(text)
    assert broken == []
    assert capitals == []


def test_georgian_has_two_plural_forms_as_wagtail_declares() -> None:
    for domain in DOMAINS:
        assert catalogue(domain).metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


@pytest.mark.parametrize(
    ("msgid", "georgian"),
    [
        ("Save draft", "მონახაზის შენახვა"),
        ("Publish", "გამოქვეყნება"),
        ("More actions", "სხვა მოქმედებები"),
        ("Drop down", "ჩამოსაშლელი სია"),
        ("Search all pages…", "ყველა გვერდში ძიება…"),
        ("Bulk actions", "ჯგუფური მოქმედებები"),
    ],
)
def test_compiled_catalogue_wins_over_wagtails_own(msgid: str, georgian: str) -> None:
    with translation.override("ka"):
        assert translation.gettext(msgid) == georgian
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


def test_plural_and_context_entries_are_used() -> None:
    with translation.override("ka"):
        assert translation.ngettext("%(num)d minute", "%(num)d minutes", 5) % {"num": 5} == (
            "5 წუთი"
        )
        assert translation.gettext("%(time_period)s ago") == "%(time_period)s წინ"
    with translation.override("en"):
        assert translation.ngettext("%(num)d minute", "%(num)d minutes", 5) % {"num": 5} == (
            "5 minutes"
        )


@pytest.mark.django_db
def test_the_admin_javascript_catalogue_is_georgian(client: Client) -> None:
    """Wagtail's admin loads its JS strings from its own JavaScriptCatalog view; LOCALE_PATHS
    entries are merged last, so the project's djangojs catalogue is what it serves."""
    from cms.core.tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True))
    url = reverse("wagtailadmin_javascript_catalog")
    georgian = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "\\u10e8\\u10d4\\u10dc\\u10d0\\u10ee\\u10d5\\u10d8\\u10e1" in georgian or (
        "შენახვის შეცდომა" in georgian
    )
    assert "Save error" in georgian  # the msgid, as the key of the mapping
