"""Submissions get their own audit-log table (read through the listings' scope); existing
entries move there from Wagtail's shared ModelLogEntry table."""

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


SUBMISSION_MODELS = ("need", "evaluation")
COPIED_FIELDS = (
    "content_type_id",
    "label",
    "action",
    "data",
    "timestamp",
    "uuid",
    "user_id",
    "revision_id",
    "content_changed",
    "deleted",
    "object_id",
)


def move_entries(apps, source_name: str, target_name: str) -> None:
    """Move the submissions' entries between Wagtail's shared table and ours."""
    content_type = apps.get_model("contenttypes", "ContentType")
    source = apps.get_model(*source_name.split("."))
    target = apps.get_model(*target_name.split("."))
    types = content_type.objects.filter(app_label="feedback_forms", model__in=SUBMISSION_MODELS)
    entries = source.objects.filter(content_type__in=types)
    target.objects.bulk_create(
        (target(**{name: getattr(entry, name) for name in COPIED_FIELDS}) for entry in entries),
        batch_size=1000,
    )
    entries.delete()


def forwards(apps, schema_editor) -> None:
    move_entries(apps, "wagtailcore.ModelLogEntry", "feedback_forms.SubmissionLogEntry")


def backwards(apps, schema_editor) -> None:
    move_entries(apps, "feedback_forms.SubmissionLogEntry", "wagtailcore.ModelLogEntry")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("feedback_forms", "0007_submission_reported_in"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SubmissionLogEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("label", models.TextField()),
                ("action", models.CharField(blank=True, db_index=True, max_length=255)),
                (
                    "data",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        encoder=django.core.serializers.json.DjangoJSONEncoder,
                    ),
                ),
                ("timestamp", models.DateTimeField(db_index=True, verbose_name="timestamp (UTC)")),
                (
                    "uuid",
                    models.UUIDField(
                        blank=True,
                        editable=False,
                        help_text="Log entries that happened as part of the same user action are assigned the same UUID",
                        null=True,
                    ),
                ),
                ("content_changed", models.BooleanField(db_index=True, default=False)),
                ("deleted", models.BooleanField(default=False)),
                ("object_id", models.CharField(db_index=True, max_length=255)),
                (
                    "content_type",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="contenttypes.contenttype",
                        verbose_name="content type",
                    ),
                ),
                (
                    "revision",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="wagtailcore.revision",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "submission log entry",
                "verbose_name_plural": "submission log entries",
                "ordering": ["-timestamp", "-id"],
                "abstract": False,
                "indexes": [
                    models.Index(
                        fields=["uuid", "action", "-timestamp"], name="submission_log_uuid"
                    ),
                    models.Index(
                        fields=["content_type", "object_id"], name="submission_log_object"
                    ),
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
