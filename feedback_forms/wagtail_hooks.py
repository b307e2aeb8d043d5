"""Registration only: staff entry views live in admin_views.py."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from feedback_forms import admin_views


@hooks.register("register_admin_urls")
def register_staff_entry_urls():
    urls = [
        path("", admin_views.StaffEntryIndexView.as_view(), name="index"),
        path("<int:page_id>/", admin_views.StaffEntryFormView.as_view(), name="form"),
    ]
    return [path("feedback/enter/", include((urls, "feedback_staff_entry")))]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request) -> bool:
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_staff_entry_menu_item():
    return PermissionMenuItem(
        _("Enter on behalf"),
        reverse("feedback_staff_entry:index"),
        icon_name="form",
        order=210,
        permission=admin_views.ENTRY_PERMISSION,
    )
