"""The staff roles of the rule (Art. 4.2-4.5) as Wagtail groups, with their permissions.

Permissions are named by "app_label.codename" strings so this module imports no app.
`manage.py ensure_roles` (part of the release step and of `load_demo_data`) synchronises each
group with its role both ways, idempotently: what the role grants is added, and what an earlier
release granted but the role no longer lists is taken back. Each grant is recorded
(`RoleGrant`), so permissions staff add in the Groups screen are never touched; a permission
of the role that staff removed by hand comes back at the next release (the role in code is the
truth for what it grants).
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from cms.core.models import RoleGrant

TAXONOMY_MODELS = ("programcategory", "municipalservice", "administrativeunit", "settlement")
SUBMISSION_MODELS = ("evaluation", "need")
READ_SUBMISSIONS = tuple(f"feedback_forms.view_{model}" for model in SUBMISSION_MODELS)
WORK_ON_SUBMISSIONS = (
    *READ_SUBMISSIONS,
    *(f"feedback_forms.change_{model}" for model in SUBMISSION_MODELS),
)
EXPORT_SUBMISSIONS = tuple(f"feedback_forms.export_{model}" for model in SUBMISSION_MODELS)
ALL_SERVICES = "feedback_forms.view_all_submissions"
READ_RESULTS = (
    "reports.view_resultsreport",
    "reports.view_budgetcommitment",
    "reports.view_reportingperiod",
)
KEEP_ANSWER_TEMPLATES = tuple(
    f"feedback_forms.{action}_answertemplate" for action in ("add", "change", "delete", "view")
)
RECORD_COMMITMENTS = ("reports.add_budgetcommitment", "reports.change_budgetcommitment")


@dataclass(frozen=True)
class Role:
    username: str
    group_name: str
    label: Promise
    permissions: tuple[str, ...] = ()
    page_permissions: tuple[str, ...] = ()
    collection_permissions: tuple[str, ...] = field(default=())


CONTENT_EDITORS = Role(
    "editor",
    "Content editors",
    _("Content editors"),
    # "Translate" in the page tree and page header (wagtail.contrib.simple_translation); the
    # page permissions on the root cover the Georgian and the English tree alike.
    permissions=("simple_translation.submit_translation",),
    page_permissions=("add_page", "change_page", "publish_page"),
    collection_permissions=(
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
    ),
)
PLATFORM_MANAGERS = Role(
    "manager",
    "Platform managers",
    _("Platform managers (PR division)"),
    permissions=(
        *(
            f"programs.{action}_{model}"
            for model in TAXONOMY_MODELS
            for action in ("add", "change", "view")
        ),
        "programs.import_all_beneficiaries",
        "feedback_forms.enter_on_behalf",
        *WORK_ON_SUBMISSIONS,
        *EXPORT_SUBMISSIONS,
        ALL_SERVICES,
        "feedback_forms.assign_need",
        *KEEP_ANSWER_TEMPLATES,
        *READ_RESULTS,
        *RECORD_COMMITMENTS,
        "reports.add_resultsreport",
        "reports.change_resultsreport",
        "reports.send_resultsreport",
        "reports.publish_resultsreport",
        "reports.change_reportingperiod",
    ),
)
SERVICE_REPRESENTATIVES = Role(
    "service",
    "Service representatives",
    _("Service representatives"),
    permissions=(
        "programs.import_beneficiaries",
        "feedback_forms.enter_on_behalf",
        *WORK_ON_SUBMISSIONS,
        *EXPORT_SUBMISSIONS,
        *KEEP_ANSWER_TEMPLATES,
    ),
)
MAYOR = Role(
    "mayor",
    "Mayor",
    _("Mayor"),
    permissions=(
        *READ_SUBMISSIONS,
        ALL_SERVICES,
        *READ_RESULTS,
        *RECORD_COMMITMENTS,
        "reports.decide_budgetcommitment",
        "reports.review_resultsreport",
    ),
)
ANALYSTS = Role(
    "analyst",
    "Analysts",
    _("Analysts"),
    permissions=(*READ_SUBMISSIONS, *EXPORT_SUBMISSIONS, ALL_SERVICES, *READ_RESULTS),
)

ROLES = [CONTENT_EDITORS, PLATFORM_MANAGERS, SERVICE_REPRESENTATIVES, MAYOR, ANALYSTS]


def permission_by_name(name: str) -> Permission:
    app_label, codename = name.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def wanted_grants(role: Role, access_admin: Permission) -> dict[str, set[Permission]]:
    """What the role grants, by scope."""
    return {
        RoleGrant.Scope.GROUP: {access_admin, *(permission_by_name(p) for p in role.permissions)},
        RoleGrant.Scope.ROOT_PAGE: {
            permission_by_name(f"wagtailcore.{codename}") for codename in role.page_permissions
        },
        RoleGrant.Scope.ROOT_COLLECTION: {
            permission_by_name(name) for name in role.collection_permissions
        },
    }


def grant(
    group: Group, scope: str, permission: Permission, root_page: Page, root_collection: Collection
) -> None:
    if scope == RoleGrant.Scope.GROUP:
        group.permissions.add(permission)
    elif scope == RoleGrant.Scope.ROOT_PAGE:
        GroupPagePermission.objects.get_or_create(
            group=group, page=root_page, permission=permission
        )
    else:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root_collection, permission=permission
        )


def revoke(
    group: Group, scope: str, permission: Permission, root_page: Page, root_collection: Collection
) -> None:
    if scope == RoleGrant.Scope.GROUP:
        group.permissions.remove(permission)
    elif scope == RoleGrant.Scope.ROOT_PAGE:
        GroupPagePermission.objects.filter(
            group=group, page=root_page, permission=permission
        ).delete()
    else:
        GroupCollectionPermission.objects.filter(
            group=group, collection=root_collection, permission=permission
        ).delete()


@transaction.atomic
def ensure_role_groups() -> dict[str, Group]:
    """Create the groups and synchronise them with their roles; staff additions stay."""
    access_admin = permission_by_name("wagtailadmin.access_admin")
    root_page = Page.get_first_root_node()
    # A flushed test database loses the roots Wagtail's migrations made: recreate them.
    root_collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    groups = {}
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.group_name)
        recorded = RoleGrant.objects.filter(group=group).select_related("permission")
        granted_before = {(grant.scope, grant.permission) for grant in recorded}
        wanted = {
            (scope, permission)
            for scope, permissions in wanted_grants(role, access_admin).items()
            for permission in permissions
        }
        for scope, permission in wanted:
            grant(group, scope, permission, root_page, root_collection)
            RoleGrant.objects.get_or_create(group=group, permission=permission, scope=scope)
        for scope, permission in granted_before - wanted:
            revoke(group, scope, permission, root_page, root_collection)
            RoleGrant.objects.filter(group=group, permission=permission, scope=scope).delete()
        groups[role.username] = group
    return groups
