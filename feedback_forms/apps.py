from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackFormsConfig(AppConfig):
    name = "feedback_forms"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        import uuid

        from cms.core.page_cache import register_form_value
        from feedback_forms.protection import issue_form_token

        # A kept form page gets these fresh for every visitor (cms.core.page_cache).
        register_form_value("form_token", lambda request: issue_form_token())
        register_form_value("idempotency_key", lambda request: uuid.uuid4().hex)
