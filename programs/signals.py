"""Signal receivers: keep the language-independent facts of programs in step."""

from wagtail.signals import page_published

from programs.models import ProgramPage


def synchronize_program_facts(sender, instance: ProgramPage, **kwargs) -> None:
    """On every publish (admin, API or command), align a program's facts across languages."""
    instance.synchronize_facts()


def connect() -> None:
    page_published.connect(synchronize_program_facts, sender=ProgramPage)
