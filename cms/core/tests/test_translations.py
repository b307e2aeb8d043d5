"""Georgian first: every string we mark for translation has a Georgian and an English text."""

from pathlib import Path

import pytest
from django.utils import translation

LOCALE_DIR = Path(__file__).resolve().parents[3] / "locale"


def catalogue_entries(language: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each entry of a .po file, without a third-party parser."""
    entries: list[tuple[str, str, bool]] = []
    text = (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith(("msgid ", "msgstr ", "msgid_plural ", "msgstr[0] ")):
                current, _space, rest = line.partition(" ")
                fields[current] = rest.strip()[1:-1]
            elif line.startswith('"') and current:
                fields[current] += line.strip()[1:-1]
        if fields.get("msgid"):
            entries.append(
                (fields["msgid"], fields.get("msgstr", fields.get("msgstr[0]", "")), fuzzy)
            )
    return entries


@pytest.mark.parametrize("language", ["ka", "en"])
def test_every_string_is_translated(language: str) -> None:
    entries = catalogue_entries(language)
    assert entries
    untranslated = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert untranslated == []


def test_compiled_catalogue_is_loaded() -> None:
    with translation.override("ka"):
        assert translation.gettext("Skip to main content") == "მთავარ შინაარსზე გადასვლა"
    with translation.override("en"):
        assert translation.gettext("Skip to main content") == "Skip to main content"
