"""Registration only."""

from wagtail import hooks
from wagtail.models import Locale

from cms.core.privacy import HOOK


@hooks.register(HOOK)
def privacy_notice_url(locale: Locale | None) -> str:
    """The live privacy notice in the language (else the default language's), for the forms."""
    from home.models import PrivacyNoticePage

    notice = PrivacyNoticePage.for_locale(locale)
    return notice.url if notice is not None else ""
