"""Who sees which submissions (Art. 4.3): a service representative only their service's.

Every listing, detail view, export, bulk action and API that shows staff a submission starts
from `submissions_for`, so the line is drawn once, in the query.
"""

from typing import TYPE_CHECKING, cast

from django.contrib.auth import models as auth_models
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

if TYPE_CHECKING:
    from feedback_forms.querysets import SubmissionQuerySet

ALL_SERVICES_PERMISSION = "feedback_forms.view_all_submissions"

User = auth_models.User | AnonymousUser


def perm_name(model: type[Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def sees_every_service(user: User) -> bool:
    return user.is_active and user.has_perm(ALL_SERVICES_PERMISSION)


def submissions_for(user: User, model: type[Model], action: str = "view") -> "SubmissionQuerySet":
    """The submissions of `model` this user may `action` (view, change, export)."""
    # Both submission models' manager is SubmissionQuerySet.as_manager().
    queryset = cast("SubmissionQuerySet", model._default_manager.all())
    if not (user.is_active and user.has_perm(perm_name(model, action))):
        return queryset.none()
    if sees_every_service(user):
        return queryset
    return queryset.filter(service__representatives=user).distinct()


def can(user: User, action: str, submission: Model) -> bool:
    return submissions_for(user, type(submission), action).filter(pk=submission.pk).exists()
