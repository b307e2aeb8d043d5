from django.db import migrations, models


def fill_search_terms(apps, schema_editor) -> None:
    """Stem the programs that exist already (new saves keep the column up to date)."""
    from programs.search import document_text, search_terms

    ProgramPage = apps.get_model("programs", "ProgramPage")
    for program in ProgramPage.objects.all():
        body = program.body.get_prep_value() if hasattr(program.body, "get_prep_value") else []
        program.search_terms = search_terms(document_text(program.title, program.summary, body))
        program.save(update_fields=["search_terms"])


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0004_settlement_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="programpage",
            name="search_terms",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search terms"
            ),
        ),
        migrations.RunPython(fill_search_terms, migrations.RunPython.noop),
    ]
