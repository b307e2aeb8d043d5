"""Demo content on top of the site every deployment has (`home.site_setup`): the selected
data set's contacts and one staff account per role.

Every function is idempotent: it finds what exists by a stable key and leaves editors' changes to
existing pages alone, so `load_demo_data` can run on every `make run`.
"""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.models import Site

from cms.core.models import MunicipalityContacts
from cms.core.municipality import data_set
from cms.core.roles import ROLES, SERVICE_REPRESENTATIVES, ensure_role_groups
from home.models import HomePage
from home.site_setup import ensure_home_and_content_pages
from programs.models import MunicipalService


def ensure_contacts(municipality: str | None = None) -> None:
    site = Site.objects.get(is_default_site=True)
    contacts = MunicipalityContacts.for_site(site)
    if not contacts.address_ka:
        # The data set's contacts (municipality.json "contacts"); its names are in already.
        for field, value in data_set(municipality)["contacts"].items():
            setattr(contacts, field, value)
        contacts.save()


#: The demo accounts' (invented) names: Wagtail's account form requires a first and last name,
#: so without them even switching the admin's language fails with "This field is required".
DEMO_NAMES = {
    "editor": ("ნინო", "ბერიძე"),
    "manager": ("გიორგი", "კაპანაძე"),
    "service": ("თამარ", "გელაშვილი"),
    "mayor": ("დავით", "ჯაფარიძე"),
    "analyst": ("ანა", "მესხი"),
}


@dataclass(frozen=True)
class DemoAccounts:
    usernames: list[str]
    password: str
    generated: bool


def ensure_demo_users(
    password: str | None, *, usable_password: bool = True, municipality: str | None = None
) -> DemoAccounts:
    """One account per role. Without DEMO_PASSWORD a fresh password is generated and printed.

    With `usable_password=False` (production settings) no shared password is ever set: a new
    account cannot sign in until it is given its own, and an existing one keeps the one it has.
    """
    generated = not password
    password = password or secrets.token_urlsafe(12)
    groups = ensure_role_groups()
    domain = data_set(municipality)["deployment"]["email_domain"]
    user_model = get_user_model()
    for role in ROLES:
        user, created = user_model.objects.get_or_create(
            username=role.username, defaults={"email": f"{role.username}@{domain}"}
        )
        if usable_password:
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        user.is_active = True
        first, last = DEMO_NAMES.get(role.username, (role.username.capitalize(), "Demo"))
        user.first_name = user.first_name or first  # never overwrite a name staff changed
        user.last_name = user.last_name or last
        user.save()
        user.groups.add(groups[role.username])
        if role is SERVICE_REPRESENTATIVES:
            # The demo representative answers for the social service's programs and needs.
            for service in MunicipalService.objects.filter(slug="social"):
                service.representatives.add(user)
    return DemoAccounts(
        [role.username for role in ROLES], password if usable_password else "", generated
    )


@transaction.atomic
def load_site_content() -> dict[str, HomePage]:
    """The home and content pages with the demo municipality's contacts (the tests' fixture)."""
    homes = ensure_home_and_content_pages()
    ensure_contacts()
    return homes
