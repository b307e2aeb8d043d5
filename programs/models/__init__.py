from programs.models.beneficiaries import BeneficiaryImport, BeneficiaryRecord
from programs.models.invitations import Invitation
from programs.models.pages import ProgramIndexPage, ProgramPage
from programs.models.taxonomy import (
    AdministrativeUnit,
    MunicipalService,
    ProgramCategory,
    Settlement,
)

__all__ = [
    "AdministrativeUnit",
    "BeneficiaryImport",
    "BeneficiaryRecord",
    "Invitation",
    "MunicipalService",
    "ProgramCategory",
    "ProgramIndexPage",
    "ProgramPage",
    "Settlement",
]
