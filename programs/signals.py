"""Signal receivers: keep the language-independent facts of programs in step."""

from typing import Any

from wagtail.signals import page_published

from programs.models import ProgramPage


def synchronize_program_facts(
    sender: type[ProgramPage], instance: ProgramPage, **kwargs: Any
) -> None:
    """On every publish (admin, API or command), align a program's facts across languages."""
    instance.synchronize_facts()


def connect() -> None:
    from cms.core.page_cache_signals import connect_models
    from programs.models import AdministrativeUnit, MunicipalService, ProgramCategory, Settlement

    page_published.connect(synchronize_program_facts, sender=ProgramPage)
    # Program pages and the index show these names and offer them as filters.
    connect_models(ProgramCategory, MunicipalService, AdministrativeUnit, Settlement)
