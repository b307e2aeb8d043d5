"""The documentation in docs/ names real things, so it cannot go stale silently.

Every file path, dotted module or attribute, model field (in the tables of models and fields),
management command (`manage.py NAME`), scheduled job (`run_scheduled_jobs --only NAME`) and
relative link that a page of docs/ gives must exist; so must the README's links into docs/.
A rename in the code fails here until the documentation follows.
"""

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.management import get_commands
from django.db.models import Model

from cms.core.scheduler import registered_jobs

ROOT = Path(settings.BASE_DIR)
DOCS = sorted((ROOT / "docs").rglob("*.md"))
#: Inline code; it may wrap onto the next line, as Markdown allows.
CODE = re.compile(r"`([^`]+)`")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
DOTTED = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")
PATH = re.compile(r"^[\w.-]+(?:/[\w.*-]+)*/?$")
COMMAND = re.compile(r"\bmanage\.py (\w+)")
JOB = re.compile(r"\brun_scheduled_jobs --only (\w+)")
#: File names that look dotted (`django.po`) are not modules.
FILE_SUFFIXES = (".css", ".csv", ".html", ".json", ".md", ".mo", ".po", ".py", ".txt")
#: Dotted names from these packages are resolved; others (`str.upper`) are prose.
PACKAGES = {
    "axes",
    "cms",
    "django",
    "django_otp",
    "feedback_forms",
    "home",
    "programs",
    "reports",
    "wagtail",
}


def code_spans(path: Path) -> list[str]:
    return [" ".join(span.split()) for span in CODE.findall(path.read_text(encoding="utf-8"))]


def resolve(dotted: str) -> Any:
    """Import the longest importable prefix and read the rest as attributes; raise if missing."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            target = getattr(target, name)
        return target
    raise ImportError(dotted)


def is_permission(dotted: str) -> bool:
    """`app_label.codename` of a model's default or Meta permission (cms/core/roles.py style)."""
    app_label, _, codename = dotted.partition(".")
    try:
        config = apps.get_app_config(app_label)
    except LookupError:
        return False
    for model in config.get_models():
        meta = model._meta
        names = {f"{action}_{meta.model_name}" for action in meta.default_permissions}
        names |= {name for name, _label in meta.permissions}
        if codename in names:
            return True
    return False


def doc_ids(paths: list[Path]) -> list[str]:
    return [str(path.relative_to(ROOT)) for path in paths]


def test_there_is_documentation() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in DOCS}
    assert {"docs/README.md", "docs/data-protection.md"} <= names
    assert any(name.startswith("docs/adr/0001-") for name in names)


@pytest.mark.parametrize("doc", DOCS, ids=doc_ids(DOCS))
def test_named_files_exist(doc: Path) -> None:
    missing = []
    for span in code_spans(doc):
        if "/" not in span or span.startswith("/") or not PATH.match(span):
            continue  # URLs (/admin/...), commands with arguments, prose
        pattern = span.rstrip("/")  # from the repository's root, or relative to the page
        if not any(ROOT.glob(pattern)) and not any(doc.parent.glob(pattern)):
            missing.append(span)
    assert not missing, f"{doc.name} names files that do not exist: {missing}"


@pytest.mark.parametrize("doc", DOCS, ids=doc_ids(DOCS))
def test_named_modules_and_attributes_exist(doc: Path) -> None:
    missing = []
    for span in code_spans(doc):
        name = span.removesuffix("()")
        if not DOTTED.match(name) or name.split(".")[0] not in PACKAGES:
            continue
        if name.endswith(FILE_SUFFIXES):
            continue
        try:
            resolve(name)
        except (ImportError, AttributeError):
            if not is_permission(name):
                missing.append(name)
    assert not missing, f"{doc.name} names modules or attributes that do not exist: {missing}"


@pytest.mark.parametrize("doc", DOCS, ids=doc_ids(DOCS))
def test_tables_of_model_fields_name_real_fields(doc: Path) -> None:
    """A table row `| `app.models.Model` | `field`, `field` | ... |` lists fields of that model."""
    wrong = []
    for line in doc.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 2:
            continue
        first = CODE.fullmatch(cells[0])
        if first is None or not DOTTED.match(first.group(1)):
            continue
        try:
            model = resolve(first.group(1))
        except (ImportError, AttributeError):
            wrong.append(first.group(1))
            continue
        if not (isinstance(model, type) and issubclass(model, Model)):
            continue
        for field in CODE.findall(cells[1]):
            try:
                model._meta.get_field(field)
            except FieldDoesNotExist:
                wrong.append(f"{model.__name__}.{field}")
    assert not wrong, f"{doc.name} lists fields that do not exist: {wrong}"


@pytest.mark.parametrize("doc", DOCS, ids=doc_ids(DOCS))
def test_named_management_commands_and_jobs_exist(doc: Path) -> None:
    spans = " | ".join(code_spans(doc))
    commands = set(get_commands())
    jobs = {job.name for job in registered_jobs()}
    missing = [f"manage.py {name}" for name in COMMAND.findall(spans) if name not in commands]
    missing += [f"job {name}" for name in JOB.findall(spans) if name not in jobs]
    assert not missing, f"{doc.name} names commands or jobs that do not exist: {missing}"


@pytest.mark.parametrize("doc", [*DOCS, ROOT / "README.md"], ids=[*doc_ids(DOCS), "README.md"])
def test_relative_links_resolve(doc: Path) -> None:
    broken = []
    for target in LINK.findall(doc.read_text(encoding="utf-8")):
        if "://" in target or target.startswith(("#", "mailto:")):
            continue
        if doc.name == "README.md" and doc.parent == ROOT and not target.startswith("docs/"):
            continue  # the README's other links are checked by their own tests, if any
        if not (doc.parent / target.split("#")[0]).exists():
            broken.append(target)
    assert not broken, f"{doc.name} links to missing files: {broken}"


def test_every_adr_has_the_four_sections() -> None:
    for adr in sorted((ROOT / "docs" / "adr").glob("[0-9][0-9][0-9][0-9]-*.md")):
        text = adr.read_text(encoding="utf-8")
        headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
        assert headings == ["Status", "Context", "Decision", "Consequences"], adr.name
        assert 10 <= len(text.splitlines()) <= 30, f"{adr.name}: keep an ADR to 10-30 lines"
