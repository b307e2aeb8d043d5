"""Wagtail's initial data names its default workflow, task and groups in English ("Moderators
approval", "Moderators", "Editors") and its root page "Root"; staff meet these names in the page editor, the workflow
screens and the site history. They are renamed once, in Georgian, if still unchanged."""

from django.db import migrations

RENAMES = {
    "Moderators approval": "მოდერატორების დამტკიცება",
}
ROOT = ("Root", "ძირეული გვერდი")
GROUPS = {"Moderators": "მოდერატორები", "Editors": "რედაქტორები"}


def rename(apps, schema_editor) -> None:
    for model in ("wagtailcore.Workflow", "wagtailcore.Task"):
        manager = apps.get_model(model).objects
        for old, new in RENAMES.items():
            manager.filter(name=old).update(name=new)
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title=ROOT[0]).update(title=ROOT[1], draft_title=ROOT[1])
    Group = apps.get_model("auth", "Group")
    for old, new in GROUPS.items():
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)


def restore(apps, schema_editor) -> None:
    for model in ("wagtailcore.Workflow", "wagtailcore.Task"):
        manager = apps.get_model(model).objects
        for old, new in RENAMES.items():
            manager.filter(name=new).update(name=old)
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title=ROOT[1]).update(title=ROOT[0], draft_title=ROOT[0])
    Group = apps.get_model("auth", "Group")
    for old, new in GROUPS.items():
        Group.objects.filter(name=new).update(name=old)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_role_grants_synchronised_both_ways"),
        ("wagtailcore", "0048_add_default_workflows"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(rename, restore)]
