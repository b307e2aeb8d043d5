"""Labels Wagtail 8.0.1 leaves in English whatever the admin's language, fixed once at start-up.

The sites listing names three columns after the field ("Port", "Site name", "Root page") instead
of the fields' translated names, and the Locale model has no plural name of its own ("2
locales"), and the workflow form's page field has no label ("Page"). They are set to the translated model labels here; templates Wagtail writes in
English are overridden in templates/wagtailadmin/ and templates/wagtailusers/.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


def apply() -> None:
    from wagtail.admin.forms.workflows import WorkflowPageForm
    from wagtail.models import Locale, Site
    from wagtail.sites.views import IndexView

    for column in IndexView.columns:
        name = getattr(column, "name", "")
        if name in ("port", "site_name", "root_page"):
            column.label = capfirst(Site._meta.get_field(name).verbose_name)
    # Django's default name for a model without one is English and not translatable.
    Locale._meta.verbose_name = _("Locale")
    Locale._meta.verbose_name_plural = _("Locales")
    from wagtail.contrib.simple_translation.models import SimpleTranslation

    SimpleTranslation._meta.verbose_name = _("Wagtail simple translation")
    WorkflowPageForm.base_fields["page"].label = _("Page")
    # The group editor's page permissions: the page field has no label, and each checkbox
    # shows the permission as Django stored it at migrate time ("wagtailcore | page | Can add
    # page"); the name is translated at display time (the names are in locale/upstream).
    from django.utils.translation import gettext
    from wagtail.users.forms import PagePermissionsForm

    PagePermissionsForm.base_fields["page"].label = _("Page")
    permissions = PagePermissionsForm.base_fields["permissions"]
    permissions.label_from_instance = lambda permission: capfirst(gettext(permission.name))
