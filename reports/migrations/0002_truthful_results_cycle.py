"""The results cycle tells the truth (issue 9).

- Reporting periods: a period starts before it ends, and its report is due after it ends.
- Reports: when their figures were frozen, and whether they were sent before the half-year
  ended (an interim report). Reports already sent are marked interim when they were sent on or
  before the last day of their period; the submissions they counted are marked as counted (those
  made up to the day the figures were computed), so later ones appear in the next report.
- Budget commitments: the mayor's reason when one is dropped, who may change the status, and the
  link to each need keeps where the need stood before (the existing link table is kept: only
  columns are added, the rows stay).
"""

import datetime

import django.db.models.deletion
from django.db import migrations, models


def default_due_date(budget_year: int, half: int) -> datetime.date:
    return datetime.date(budget_year, 8, 1) if half == 1 else datetime.date(budget_year + 1, 1, 31)


def check_deferred_constraints_now(schema_editor) -> None:
    """PostgreSQL refuses to ALTER a table with deferred checks pending from the updates of a
    data step ("pending trigger events"): run them now, in this same transaction."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def repair_periods(apps, schema_editor) -> None:
    ReportingPeriod = apps.get_model("reports", "ReportingPeriod")
    for period in ReportingPeriod.objects.filter(due_on__lte=models.F("ends_on")):
        period.due_on = default_due_date(period.budget_year, period.half)
        period.save(update_fields=["due_on"])
    check_deferred_constraints_now(schema_editor)


def mark_sent_reports(apps, schema_editor) -> None:
    from django.utils import timezone

    ResultsReport = apps.get_model("reports", "ResultsReport")
    for report in ResultsReport.objects.exclude(status="draft").select_related("period"):
        period = report.period
        computed = (report.figures or {}).get("computed_on")
        day = datetime.date.fromisoformat(computed) if computed else report.sent_on
        day = day or timezone.localdate(report.updated_at)
        frozen_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
        report.frozen_at = frozen_at
        report.is_interim = bool(report.sent_on and report.sent_on <= period.ends_on)
        report.save(update_fields=["frozen_at", "is_interim"])
        for name in ("Evaluation", "Need"):
            apps.get_model("feedback_forms", name).objects.filter(
                reporting_period=period.code, reported_in="", created_at__lte=frozen_at
            ).update(reported_in=period.code)
    check_deferred_constraints_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback_forms", "0007_submission_reported_in"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(repair_periods, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="reportingperiod",
            constraint=models.CheckConstraint(
                condition=models.Q(("starts_on__lte", models.F("ends_on"))),
                name="period_starts_before_it_ends",
                violation_error_message="A period cannot end before it starts.",
            ),
        ),
        migrations.AddConstraint(
            model_name="reportingperiod",
            constraint=models.CheckConstraint(
                condition=models.Q(("due_on__gt", models.F("ends_on"))),
                name="period_report_due_after_it_ends",
                violation_error_message="The report can only be due after the period ends.",
            ),
        ),
        migrations.AddField(
            model_name="resultsreport",
            name="frozen_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="figures frozen at"
            ),
        ),
        migrations.AddField(
            model_name="resultsreport",
            name="is_interim",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Sent to the mayor before its half-year ended: it does not cover all of it.",
                verbose_name="interim report",
            ),
        ),
        migrations.RunPython(mark_sent_reports, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="budgetcommitment",
            options={
                "ordering": ["-budget_year", "title_ka"],
                "permissions": [
                    ("decide_budgetcommitment", "Can change the status of a budget commitment")
                ],
                "verbose_name": "budget commitment",
                "verbose_name_plural": "budget commitments",
            },
        ),
        migrations.AddField(
            model_name="budgetcommitment",
            name="dropped_reason_ka",
            field=models.TextField(blank=True, verbose_name="why it was dropped (Georgian)"),
        ),
        migrations.AddField(
            model_name="budgetcommitment",
            name="dropped_reason_en",
            field=models.TextField(blank=True, verbose_name="why it was dropped (English)"),
        ),
        # The many-to-many table becomes an explicit model on the same table and columns.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="CommitmentNeed",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "commitment",
                            models.ForeignKey(
                                db_column="budgetcommitment_id",
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="need_links",
                                to="reports.budgetcommitment",
                                verbose_name="commitment",
                            ),
                        ),
                        (
                            "need",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="commitment_links",
                                to="feedback_forms.need",
                                verbose_name="need",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "linked need",
                        "verbose_name_plural": "linked needs",
                        "db_table": "reports_budgetcommitment_needs",
                        "ordering": ["linked_at", "pk"],
                        "unique_together": {("commitment", "need")},
                    },
                ),
                migrations.AlterField(
                    model_name="budgetcommitment",
                    name="needs",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="commitments",
                        through="reports.CommitmentNeed",
                        through_fields=("commitment", "need"),
                        to="feedback_forms.need",
                        verbose_name="needs",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="commitmentneed",
            name="linked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="linked at"),
        ),
        migrations.AddField(
            model_name="commitmentneed",
            name="status_before",
            field=models.CharField(
                blank=True, max_length=16, verbose_name="status before it was linked"
            ),
        ),
        migrations.AddField(
            model_name="commitmentneed",
            name="answer_before",
            field=models.TextField(blank=True, verbose_name="public answer before it was linked"),
        ),
        migrations.AddField(
            model_name="commitmentneed",
            name="answered_at_before",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="answered at, before it was linked"
            ),
        ),
        migrations.AddField(
            model_name="commitmentneed",
            name="applied_status",
            field=models.CharField(
                blank=True, max_length=16, verbose_name="status the commitment gave"
            ),
        ),
        migrations.AddField(
            model_name="commitmentneed",
            name="applied_answer",
            field=models.TextField(blank=True, verbose_name="public answer the commitment gave"),
        ),
    ]
