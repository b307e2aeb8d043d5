"""Factories for the taxonomy and program pages; the demo data builds on the same shapes."""

import datetime

import factory
import wagtail_factories

from programs.models import (
    AdministrativeUnit,
    MunicipalService,
    ProgramCategory,
    ProgramIndexPage,
    ProgramPage,
    Settlement,
)


class ProgramCategoryFactory(factory.django.DjangoModelFactory):
    slug = factory.Sequence(lambda n: f"category-{n}")
    name_ka = factory.Sequence(lambda n: f"კატეგორია {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")

    class Meta:
        model = ProgramCategory
        django_get_or_create = ("slug",)


class MunicipalServiceFactory(factory.django.DjangoModelFactory):
    slug = factory.Sequence(lambda n: f"service-{n}")
    name_ka = factory.Sequence(lambda n: f"სამსახური {n}")
    name_en = factory.Sequence(lambda n: f"Service {n}")

    class Meta:
        model = MunicipalService
        django_get_or_create = ("slug",)


class AdministrativeUnitFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"{n + 50:02d}")
    name_ka = factory.Sequence(lambda n: f"ერთეული {n}")
    name_en = factory.Sequence(lambda n: f"Unit {n}")

    class Meta:
        model = AdministrativeUnit
        django_get_or_create = ("code",)


class SettlementFactory(factory.django.DjangoModelFactory):
    unit = factory.SubFactory(AdministrativeUnitFactory)
    name_ka = factory.Sequence(lambda n: f"სოფელი {n}")
    name_en = factory.Sequence(lambda n: f"Village {n}")

    class Meta:
        model = Settlement


class ProgramIndexPageFactory(wagtail_factories.PageFactory):
    title = "პროგრამები"
    slug = "programs"

    class Meta:
        model = ProgramIndexPage


class ProgramPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"პროგრამა {n}")
    summary = "მოკლე აღწერა"
    category = factory.SubFactory(ProgramCategoryFactory)
    responsible_service = factory.SubFactory(MunicipalServiceFactory)
    budget_amount = 100000
    budget_year = 2026
    start_date = datetime.date(2026, 1, 1)
    end_date = datetime.date(2026, 12, 31)
    status = ProgramPage.Status.ACTIVE

    class Meta:
        model = ProgramPage
        skip_postgeneration_save = True

    @factory.post_generation
    def administrative_units(self, create, extracted, **kwargs):
        if extracted:
            self.administrative_units.set(extracted)
            if create:
                self.save()
