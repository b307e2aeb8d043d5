"""Factories for staff users in their role groups."""

import factory
from django.contrib.auth import get_user_model

from cms.core.roles import Role, ensure_role_groups


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@tskaltubo.gov.ge")
    password = factory.django.Password("staff-password")

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)


def staff_user(role: Role, **kwargs):
    """A user in a role's group, with the groups and their permissions in place."""
    groups = ensure_role_groups()
    user = UserFactory(**kwargs)
    user.groups.add(groups[role.username])
    return user
