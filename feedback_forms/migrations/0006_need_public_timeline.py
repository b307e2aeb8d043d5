"""The public timeline of a need (issue 9): what the resident was told, step by step.

Needs that already moved on get one step for where they stand now, dated at their answer (or
their last update), so no tracking page loses its history.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

STATUS_CHOICES = [
    ("new", "New"),
    ("assigned", "Assigned to a service"),
    ("in_review", "In review"),
    ("planned", "Answered: planned"),
    ("resolved", "Answered: resolved"),
    ("declined", "Answered: declined"),
    ("spam", "Spam"),
    ("duplicate", "Duplicate"),
    ("not_eligible", "Not eligible"),
]
ANSWERED = ("planned", "resolved", "declined")


def current_state_as_first_step(apps, schema_editor) -> None:
    Need = apps.get_model("feedback_forms", "Need")
    NeedUpdate = apps.get_model("feedback_forms", "NeedUpdate")
    steps = []
    for need in Need.objects.exclude(status="new").iterator():
        at = max(need.answered_at or need.updated_at, need.created_at)
        message = need.public_answer if need.status in ANSWERED else ""
        steps.append(NeedUpdate(need_id=need.pk, at=at, status=need.status, message=message))
    NeedUpdate.objects.bulk_create(steps, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback_forms", "0005_truthful_dates_constraints"),
    ]

    operations = [
        migrations.CreateModel(
            name="NeedUpdate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="when"
                    ),
                ),
                (
                    "status",
                    models.CharField(choices=STATUS_CHOICES, max_length=16, verbose_name="status"),
                ),
                ("message", models.TextField(blank=True, verbose_name="public message")),
                (
                    "need",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="updates",
                        to="feedback_forms.need",
                        verbose_name="need",
                    ),
                ),
            ],
            options={
                "verbose_name": "public update",
                "verbose_name_plural": "public updates",
                "ordering": ["at", "pk"],
            },
        ),
        migrations.RunPython(current_state_as_first_step, migrations.RunPython.noop),
    ]
