"""Which sent report counts a submission (issue 9), so that none is left outside every report:
a submission for a period whose report was already sent is counted by the next one."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("feedback_forms", "0006_need_public_timeline"),
    ]

    operations = [
        migrations.AddField(
            model_name=model_name,
            name="reported_in",
            field=models.CharField(
                blank=True,
                db_index=True,
                default="",
                editable=False,
                help_text=(
                    "The reporting period of the sent report whose figures count this "
                    "submission; empty until a report counts it."
                ),
                max_length=7,
                verbose_name="counted in the report of",
            ),
        )
        for model_name in ("evaluation", "need")
    ]
