"""The permission policy of submissions: Wagtail asks it before every admin action.

Submissions come only from residents (or staff entering on their behalf through the intake),
so nobody adds, copies or deletes them in the admin; every other action is scoped with
`submissions_for`, which keeps a service representative inside their service.
"""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from wagtail.permission_policies import ModelPermissionPolicy

from feedback_forms.permissions import submissions_for

NEVER_IN_ADMIN = {"add", "delete", "copy", "lock", "unlock", "publish"}


class SubmissionPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user: User, action: str) -> bool:
        if action in NEVER_IN_ADMIN:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user: User, actions: Iterable[str]) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def instances_user_has_permission_for(self, user: User, action: str) -> QuerySet:
        if action in NEVER_IN_ADMIN:
            return self.model._default_manager.none()
        return submissions_for(user, self.model, action)

    def instances_user_has_any_permission_for(self, user: User, actions: Iterable[str]) -> QuerySet:
        querysets = [self.instances_user_has_permission_for(user, action) for action in actions]
        result = querysets[0]
        for queryset in querysets[1:]:
            result = result | queryset
        return result.distinct()

    def user_has_permission_for_instance(self, user: User, action: str, instance: Model) -> bool:
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(
        self, user: User, actions: Iterable[str], instance: Model
    ) -> bool:
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)
