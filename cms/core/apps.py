from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cms.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from cms.core import georgian, page_cache_signals, wagtail_fixes

        georgian.install()
        wagtail_fixes.apply()
        page_cache_signals.connect()
