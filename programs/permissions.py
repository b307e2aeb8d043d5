"""Who may do what with a program beyond Wagtail's page permissions."""

from django.contrib.auth.models import AnonymousUser, User

from programs.models import ProgramPage


def can_import_beneficiaries(user: User | AnonymousUser, program: ProgramPage) -> bool:
    """Platform managers import for any program; a service representative only for programs
    of a service they represent (Art. 4.3)."""
    if not user.is_active:
        return False
    if user.has_perm("programs.import_all_beneficiaries"):
        return True
    if not user.has_perm("programs.import_beneficiaries"):
        return False
    service_id = program.canonical_program.responsible_service_id
    return service_id is not None and user.municipal_services.filter(pk=service_id).exists()
