"""Registration only: the admin screens live in viewsets.py and admin_views.py."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from programs.viewsets import municipality_viewset_group, program_listing_viewset

register_snippet(municipality_viewset_group)


@hooks.register("register_admin_viewset")
def register_program_listing():
    return program_listing_viewset
