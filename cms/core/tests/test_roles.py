"""`ensure_roles` synchronises each staff group with its role in code, both ways (issue 16,
point 5): a permission removed from a role is taken back at the next release, one added is
granted, and what staff added by hand in the Groups screen stays."""

import dataclasses

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from cms.core import roles
from cms.core.roles import ANALYSTS, CONTENT_EDITORS, ROLES, ensure_role_groups

pytestmark = pytest.mark.django_db


def codes(group: Group) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def root_page_codes(group: Group) -> set[str]:
    return set(
        GroupPagePermission.objects.filter(
            group=group, page=Page.get_first_root_node()
        ).values_list("permission__codename", flat=True)
    )


def with_role(monkeypatch, role: roles.Role, **changes) -> roles.Role:
    """The role as a later release defines it."""
    changed = dataclasses.replace(role, **changes)
    monkeypatch.setattr(roles, "ROLES", [changed if r is role else r for r in ROLES])
    return changed


def test_every_role_gets_exactly_what_code_grants() -> None:
    groups = ensure_role_groups()
    for role in ROLES:
        assert codes(groups[role.username]) == {"wagtailadmin.access_admin", *role.permissions}


def test_running_twice_changes_nothing() -> None:
    first = {name: codes(group) for name, group in ensure_role_groups().items()}
    call_command("ensure_roles", verbosity=0)
    second = {name: codes(group) for name, group in ensure_role_groups().items()}
    assert first == second


def test_a_permission_removed_from_a_role_in_code_is_taken_back(monkeypatch) -> None:
    analysts = ensure_role_groups()[ANALYSTS.username]
    assert "feedback_forms.export_need" in codes(analysts)
    with_role(
        monkeypatch,
        ANALYSTS,
        permissions=tuple(p for p in ANALYSTS.permissions if p != "feedback_forms.export_need"),
    )
    call_command("ensure_roles", verbosity=0)
    assert "feedback_forms.export_need" not in codes(analysts)
    assert "feedback_forms.export_evaluation" in codes(analysts)


def test_what_staff_added_in_the_groups_screen_stays(monkeypatch) -> None:
    analysts = ensure_role_groups()[ANALYSTS.username]
    added_by_staff = Permission.objects.get(codename="add_redirect")
    analysts.permissions.add(added_by_staff)
    with_role(monkeypatch, ANALYSTS, permissions=ANALYSTS.permissions[1:])
    call_command("ensure_roles", verbosity=0)
    assert "wagtailredirects.add_redirect" in codes(analysts)


def test_page_and_collection_permissions_follow_the_role_too(monkeypatch) -> None:
    editors = ensure_role_groups()[CONTENT_EDITORS.username]
    assert root_page_codes(editors) == {"add_page", "change_page", "publish_page"}
    home = Page.get_first_root_node().get_children().first()
    staff_grant = GroupPagePermission.objects.create(
        group=editors, page=home, permission=Permission.objects.get(codename="lock_page")
    )
    with_role(
        monkeypatch,
        CONTENT_EDITORS,
        page_permissions=("add_page", "change_page"),
        collection_permissions=("wagtailimages.choose_image",),
    )
    call_command("ensure_roles", verbosity=0)
    assert root_page_codes(editors) == {"add_page", "change_page"}
    assert GroupPagePermission.objects.filter(pk=staff_grant.pk).exists()
    collection_codes = set(
        GroupCollectionPermission.objects.filter(
            group=editors, collection=Collection.get_first_root_node()
        ).values_list("permission__codename", flat=True)
    )
    assert collection_codes == {"choose_image"}


def test_a_permission_of_the_role_removed_by_hand_comes_back() -> None:
    analysts = ensure_role_groups()[ANALYSTS.username]
    analysts.permissions.remove(Permission.objects.get(codename="export_need"))
    call_command("ensure_roles", verbosity=0)
    assert "feedback_forms.export_need" in codes(analysts)


class TestAnyChangeOfARole(TestCase):
    """Whatever a release keeps of a role's permissions, the group ends up with exactly that,
    plus what staff added."""

    @settings(max_examples=15, deadline=None)
    @given(
        kept=st.lists(st.sampled_from(ANALYSTS.permissions), unique=True),
        staff_added=st.sampled_from(["add_redirect", "change_redirect", "delete_redirect"]),
    )
    def test_the_group_matches_the_role(self, kept: list[str], staff_added: str) -> None:
        analysts = ensure_role_groups()[ANALYSTS.username]
        analysts.permissions.add(Permission.objects.get(codename=staff_added))
        changed = dataclasses.replace(ANALYSTS, permissions=tuple(kept))
        original = roles.ROLES
        roles.ROLES = [changed if r is ANALYSTS else r for r in original]
        try:
            ensure_role_groups()
        finally:
            roles.ROLES = original
        assert codes(analysts) == {
            "wagtailadmin.access_admin",
            *kept,
            f"wagtailredirects.{staff_added}",
        }
