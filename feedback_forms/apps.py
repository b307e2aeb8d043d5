from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackFormsConfig(AppConfig):
    name = "feedback_forms"
    verbose_name = _("Feedback")
