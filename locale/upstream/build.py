"""Write locale/upstream/ka/LC_MESSAGES/{django,djangojs}.po from Wagtail's English catalogues
and the Georgian texts in locale/upstream/translations/<domain>.json.

Run it after a Wagtail upgrade (new msgids appear untranslated, and the completeness test
fails until a translator adds them to the JSON), then compile:

    .venv/bin/python locale/upstream/build.py
    .venv/bin/python manage.py compilemessages --ignore '.venv/*'

With --missing it prints the msgids that have no Georgian yet, as a JSON skeleton to fill in.
"""

import json
import sys
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).parent))

from sources import (  # noqa: E402
    HERE,
    TRANSLATIONS,
    key,
    permission_entries,
    upstream_entries,
)

HEADER = {
    "Project-Id-Version": "Tskaltubo citizens' feedback platform (Wagtail admin in Georgian)",
    "Language": "ka",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
}


def load(domain: str) -> dict:
    path = TRANSLATIONS / f"{domain}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def build(domain: str) -> tuple[int, list[str]]:
    """Write the domain's catalogue; return the number of entries and the untranslated keys."""
    texts = load(domain)
    catalogue = polib.POFile(wrapwidth=100)
    catalogue.metadata = dict(HEADER)
    missing = []
    for source in upstream_entries(domain):
        text = texts.get(key(source))
        entry = polib.POEntry(
            msgctxt=source.msgctxt,
            msgid=source.msgid,
            msgid_plural=source.msgid_plural,
            flags=[flag for flag in source.flags if flag != "fuzzy"],
            occurrences=source.occurrences[:1],
        )
        if source.msgid_plural:
            forms = text if isinstance(text, list) else [text or "", text or ""]
            entry.msgstr_plural = {0: forms[0], 1: forms[-1]}
        else:
            entry.msgstr = text if isinstance(text, str) else ""
        if not text:
            missing.append(key(source))
        catalogue.append(entry)
    if domain == "django":
        known = {key(entry) for entry in catalogue}
        for entry, georgian in permission_entries():
            if entry.msgid not in known and entry.msgid not in texts:
                known.add(entry.msgid)
                entry.msgstr = georgian
                entry.comment = "Django's permission name, generated from the model's name"
                catalogue.append(entry)
    target = HERE / "ka" / "LC_MESSAGES" / f"{domain}.po"
    target.parent.mkdir(parents=True, exist_ok=True)
    catalogue.save(str(target))
    return len(catalogue), missing


def main() -> None:
    import os

    import django

    sys.path.insert(0, str(HERE.parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    django.setup()
    for domain in ("django", "djangojs"):
        count, missing = build(domain)
        if "--missing" in sys.argv:
            print(json.dumps(dict.fromkeys(missing, ""), ensure_ascii=False, indent=1))
        else:
            print(f"{domain}: {count} entries, {len(missing)} without Georgian")


if __name__ == "__main__":
    main()
