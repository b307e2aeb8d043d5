from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cms.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from cms.core import georgian, page_cache_signals, request_memo, wagtail_fixes

        georgian.install()
        wagtail_fixes.apply()
        page_cache_signals.connect()
        post_save.connect(request_memo.forget, dispatch_uid="request_memo:save")
        post_delete.connect(request_memo.forget, dispatch_uid="request_memo:delete")
