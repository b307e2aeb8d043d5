"""Where the privacy notice is, for every form's consent question (web and API).

The notice is a page type of `home`, which may depend on every app but no app on it; so the
forms ask through a Wagtail hook, ``privacy_notice_url``, that `home` registers. A hook
function takes a Locale and returns the notice's URL in that language, or "".
"""

from wagtail import hooks
from wagtail.models import Locale

HOOK = "privacy_notice_url"


def privacy_notice_url(locale: Locale | None = None) -> str:
    """The notice's URL (relative, with the language prefix) in a language, or ""."""
    locale = locale or Locale.get_active()
    for find in hooks.get_hooks(HOOK):
        if url := find(locale):
            return url
    return ""
