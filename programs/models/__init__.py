from programs.models.taxonomy import (
    AdministrativeUnit,
    MunicipalService,
    ProgramCategory,
    Settlement,
)

__all__ = ["AdministrativeUnit", "MunicipalService", "ProgramCategory", "Settlement"]
