"""Finders for the Georgian admin checks: English words outside an allow-list, and Mtavruli.

Used by the server-side walk of every admin URL per role (feedback_forms/tests/
test_admin_georgian.py) and by the browser crawl (tests/e2e/test_georgian_admin.py), so both
judge a screen by the same rules.
"""

import re
from html.parser import HTMLParser

from cms.core.georgian import MTAVRULI_FIRST, MTAVRULI_LAST

#: Proper names, file formats and technical abbreviations that stay Latin in Georgian text.
ALLOWED_WORDS = frozenset(
    {
        "wagtail",
        "excel",
        "csv",
        "sms",  # the channel's name in Georgian too (SMS-ით)
        "xlsx",
        "pdf",
        "api",
        "url",
        "id",
        "json",
        "javascript",
        "html",
        "svg",
        "utc",
        "qr",
        "totp",
        "embedly",
        "enter",
        "freeotp",
        "aegis",
        "google",
        "microsoft",
        "authenticator",
        "tskaltubo",
        "gov",
        "ge",
        "ka",
        "en",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "webp",
        "avif",
        "heic",
        "ico",
        "docx",
        "odt",
        "ascii_snake_case",
        "from",
        "to",
        "v2",
        "v3",
        "tsv",
        "txt",  # Wagtail 8.1 lists the document formats in the upload help
        "english",  # the language's own name in the language menus
    }
)

MTAVRULI = re.compile(f"[{MTAVRULI_FIRST}-{MTAVRULI_LAST}]")
WORD = re.compile(r"[A-Za-z][A-Za-z_]+")
#: Things that are data, not interface text: e-mails, URLs and paths, references, codes.
DATA = re.compile(
    r"\b[A-Z2-7]{4}(?: [A-Z2-7]{4}){3,}\b|\S+@\S+|https?://\S+|/[\w/.-]*|\b[a-z_]+\.[a-z_]+\b|\b[A-Z0-9]+-[A-Z0-9-]+\b|\b\w*\d\w*\b|%\(\w+\)s|\{\w+\}"
)
VISIBLE_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label", "aria-description")
SKIPPED_TAGS = {"script", "style", "template", "code", "pre", "svg", "noscript", "textarea"}


VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr", "use", "path",
}  # fmt: skip


class _VisibleText(HTMLParser):
    """Collects text outside scripts, styles and elements marked `hidden`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []

    @property
    def skipping(self) -> bool:
        return any(skipped for _tag, skipped in self.stack)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        hidden = "hidden" in values or tag in SKIPPED_TAGS
        if tag not in VOID_TAGS:
            self.stack.append((tag, hidden))
        if hidden or self.skipping:
            return
        for name in VISIBLE_ATTRIBUTES:
            if values.get(name):
                self.parts.append(values[name])
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text a person reads on a page: text nodes and the attributes screen readers and
    tooltips show, without scripts, styles, code and form values."""
    parser = _VisibleText()
    parser.feed(html)
    return "\n".join(part.strip() for part in parser.parts if part.strip())


def english_words(text: str, also_allowed: frozenset[str] = frozenset()) -> list[str]:
    """Latin words in a text that are neither data nor on the allow-list."""
    allowed = ALLOWED_WORDS | {word.lower() for word in also_allowed}
    cleaned = DATA.sub(" ", text)
    return [word for word in WORD.findall(cleaned) if word.lower() not in allowed]


def mtavruli(text: str) -> list[str]:
    """Each Mtavruli letter with some context around it."""
    return [text[max(0, m.start() - 15) : m.end() + 15] for m in MTAVRULI.finditer(text)]
