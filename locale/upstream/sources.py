"""Which upstream catalogues the project overrides in Georgian, and how to read them.

The msgids (with msgctxt and plural forms) come from the English catalogues Wagtail ships for
the apps in INSTALLED_APPS and from Django's own catalogues (the strings Wagtail shows); the Georgian texts live in locale/upstream/translations/*.json,
keyed by `msgctxt\\x04msgid` (or the msgid alone), a list for plural entries.
"""

from pathlib import Path

import polib

WAGTAIL = Path(__import__("wagtail").__file__).parent
DJANGO = Path(__import__("django").__file__).parent
HERE = Path(__file__).parent
TRANSLATIONS = HERE / "translations"

#: (domain, English catalogue) pairs, most visible first.
SOURCES: list[tuple[str, Path]] = [
    ("django", WAGTAIL / "admin/locale/en/LC_MESSAGES/django.po"),
    ("django", WAGTAIL / "locale/en/LC_MESSAGES/django.po"),
    ("django", WAGTAIL / "users/locale/en/LC_MESSAGES/django.po"),
    ("django", WAGTAIL / "images/locale/en/LC_MESSAGES/django.po"),
    ("django", WAGTAIL / "documents/locale/en/LC_MESSAGES/django.po"),
    ("django", WAGTAIL / "snippets/locale/en/LC_MESSAGES/django.po"),
    ("django", WAGTAIL / "contrib/forms/locale/en/LC_MESSAGES/django.po"),
    ("django", WAGTAIL / "contrib/redirects/locale/en/LC_MESSAGES/django.po"),
    ("django", WAGTAIL / "contrib/settings/locale/en/LC_MESSAGES/django.po"),
    ("django", WAGTAIL / "contrib/simple_translation/locale/en/LC_MESSAGES/django.po"),
    ("django", WAGTAIL / "locales/locale/en/LC_MESSAGES/django.po"),
    ("django", WAGTAIL / "sites/locale/en/LC_MESSAGES/django.po"),
    ("django", WAGTAIL / "embeds/locale/en/LC_MESSAGES/django.po"),
    ("django", WAGTAIL / "search/locale/en/LC_MESSAGES/django.po"),
    # Django's own strings that Wagtail's screens show: validation messages, "4 days ago",
    # month names, password rules and the sign-in and password-reset forms.
    ("django", DJANGO / "conf/locale/en/LC_MESSAGES/django.po"),
    ("django", DJANGO / "contrib/auth/locale/en/LC_MESSAGES/django.po"),
    ("django", DJANGO / "contrib/contenttypes/locale/en/LC_MESSAGES/django.po"),
    ("djangojs", WAGTAIL / "admin/locale/en/LC_MESSAGES/djangojs.po"),
]


def key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def upstream_entries(domain: str) -> list[polib.POEntry]:
    """The distinct entries of a domain's upstream catalogues, in SOURCES order."""
    seen: dict[str, polib.POEntry] = {}
    for source_domain, path in SOURCES:
        if source_domain != domain:
            continue
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.msgid:
                continue
            seen.setdefault(key(entry), entry)
    return list(seen.values())


#: Wagtail's group screens translate each permission's stored (English) name with gettext.
PERMISSION_ACTIONS = {
    "add": "დამატება",
    "change": "შეცვლა",
    "delete": "წაშლა",
    "view": "ნახვა",
    "choose": "არჩევა",
}


def permission_entries() -> list[tuple[polib.POEntry, str]]:
    """("Can add need", "დამატება: საჭიროება") for every model's default permissions and
    Wagtail's "choose" permissions: the names Django stores in English at migrate time."""
    from django.apps import apps
    from django.utils import translation

    entries = []
    with translation.override("ka"):
        for model in apps.get_models():
            opts = model._meta
            actions = list(opts.default_permissions)
            actions += [c.split("_", 1)[0] for c, _n in opts.permissions if c.startswith("choose_")]
            for action in actions:
                if action not in PERMISSION_ACTIONS:
                    continue
                msgid = f"Can {action} {opts.verbose_name_raw}"
                georgian = f"{PERMISSION_ACTIONS[action]}: {opts.verbose_name}"
                entries.append((polib.POEntry(msgid=msgid, msgstr=""), georgian))
            entries += custom_permission_labels(model)
    return entries


def custom_permission_labels(model) -> list[tuple[polib.POEntry, str]]:
    """Wagtail shows a custom permission as its English name without the model's name ("Can
    publish a" for "Can publish a results report") and translates that: the Georgian is the
    whole translated name."""
    from django.utils import translation
    from wagtail.users.templatetags.wagtailusers_tags import normalize_permission_label

    class Stored:  # what Django stored at migrate time: the English name
        def __init__(self, codename: str, name: str) -> None:
            self.codename, self.name = codename, name
            self.content_type = type(
                "CT", (), {"model_class": lambda _s: model, "name": str(model._meta.verbose_name)}
            )()

    labels = []
    for codename, name in model._meta.permissions:
        with translation.override("en"):
            english = str(name)
            label = normalize_permission_label(Stored(codename, english))
        with translation.override("ka"):
            georgian = str(name)
        if label != english or georgian != english:
            labels.append((polib.POEntry(msgid=label, msgstr=""), georgian))
    return labels
