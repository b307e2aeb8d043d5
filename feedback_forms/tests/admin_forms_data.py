"""Read the admin's page editor form as a browser would post it (every field's current value)."""

from html.parser import HTMLParser


class EditorFormParser(HTMLParser):
    """Collects the named inputs, selects and textareas inside the page editor's form."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self.in_form = False
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id") == "page-edit-form":
            self.in_form = True
        if not self.in_form:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.data.setdefault(name, []).append(attributes.get("value") or "on")
            elif kind not in ("submit", "button", "file"):
                self.data.setdefault(name, []).append(attributes.get("value") or "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.data.setdefault(name, []).append("")
        elif tag == "select" and name:
            self.select = name
        elif (
            tag == "option"
            and self.select
            and ("selected" in attributes or self.select not in self.data)
        ):
            # The selected option, else the first one (what a browser posts).
            self.data[self.select] = [attributes.get("value") or ""]

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data


def editor_form_data(html: str) -> dict[str, list[str]]:
    parser = EditorFormParser()
    parser.feed(html)
    return parser.data
