"""Fixtures shared by every app's tests."""

import pytest


@pytest.fixture
def site_content(db):
    """Locales, the Georgian home page with its English translation, and the content pages."""
    from home.demo import load_site_content

    return load_site_content()


@pytest.fixture
def reference_data(db):
    from programs.reference_data import load_reference_data

    return load_reference_data()


@pytest.fixture
def program_index(site_content):
    """A published program index under the Georgian home page."""
    from programs.tests.factories import ProgramIndexPageFactory

    return ProgramIndexPageFactory(parent=site_content["ka"])


@pytest.fixture
def demo_programs(reference_data, site_content):
    """The eight demo programs in Georgian and English (deterministic content)."""
    from programs.demo import ensure_demo_programs
    from programs.models import ProgramPage

    ensure_demo_programs(site_content)
    return ProgramPage.objects.filter(locale__language_code="ka").order_by("path")
