"""Truthful dates (issue 9): the database refuses an answer before its submission and an answer
due before the day of the submission.

`created_at` is no longer `auto_now_add` (which overwrote a real past time); `submitted_on` is the
Tbilisi date of `created_at`, so the due-date check compares two dates on every database.

Rows that break the new rules (the old demo made them) are repaired before the checks are added,
never deleted: a submission answered "before it was made" is dated at its answer (the latest time
it can have been received), and an answer due before the submission day is due on that day.
"""

from collections import defaultdict

import django.utils.timezone
from django.db import migrations, models
from django.db.models import F

BATCH = 500


def repair_and_date(apps, schema_editor) -> None:
    from django.utils import timezone

    for name in ("Evaluation", "Need"):
        model = apps.get_model("feedback_forms", name)
        model.objects.filter(answered_at__lt=F("created_at")).update(created_at=F("answered_at"))
        by_day = defaultdict(list)
        for pk, created_at in model.objects.values_list("pk", "created_at").iterator():
            by_day[timezone.localdate(created_at)].append(pk)
        for day, pks in by_day.items():
            for start in range(0, len(pks), BATCH):
                model.objects.filter(pk__in=pks[start : start + BATCH]).update(submitted_on=day)
        model.objects.filter(due_date__lt=F("submitted_on")).update(due_date=F("submitted_on"))
    check_deferred_constraints_now(schema_editor)


def check_deferred_constraints_now(schema_editor) -> None:
    """PostgreSQL refuses to ALTER a table with deferred checks pending from the updates above
    ("pending trigger events"): run them now, in this same transaction."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("feedback_forms", "0004_workflow_notes_exports_permissions"),
    ]

    operations = [
        *(
            migrations.AlterField(
                model_name=model_name,
                name="created_at",
                field=models.DateTimeField(
                    db_index=True,
                    default=django.utils.timezone.now,
                    editable=False,
                    verbose_name="submitted at",
                ),
            )
            for model_name in ("evaluation", "need")
        ),
        *(
            migrations.AddField(
                model_name=model_name,
                name="submitted_on",
                field=models.DateField(editable=False, null=True, verbose_name="submitted on"),
            )
            for model_name in ("evaluation", "need")
        ),
        migrations.RunPython(repair_and_date, migrations.RunPython.noop),
        *(
            migrations.AlterField(
                model_name=model_name,
                name="submitted_on",
                field=models.DateField(
                    editable=False,
                    help_text="The date of submission in Tbilisi; it decides the reporting period.",
                    verbose_name="submitted on",
                ),
            )
            for model_name in ("evaluation", "need")
        ),
        *(
            migrations.AddConstraint(
                model_name=model_name,
                constraint=models.CheckConstraint(
                    condition=models.Q(
                        ("answered_at__isnull", True),
                        ("answered_at__gte", models.F("created_at")),
                        _connector="OR",
                    ),
                    name=f"{model_name}_answered_after_created",
                    violation_error_message="An answer cannot be dated before the submission.",
                ),
            )
            for model_name in ("evaluation", "need")
        ),
        *(
            migrations.AddConstraint(
                model_name=model_name,
                constraint=models.CheckConstraint(
                    condition=models.Q(
                        ("due_date__isnull", True),
                        ("due_date__gte", models.F("submitted_on")),
                        _connector="OR",
                    ),
                    name=f"{model_name}_due_after_submitted",
                    violation_error_message=(
                        "The answer cannot be due before the day the submission was made."
                    ),
                ),
            )
            for model_name in ("evaluation", "need")
        ),
    ]
