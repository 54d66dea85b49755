"""Name parts are also cut at punctuation (LI, Wei; Jean-Li) for searches of one or two letters
(``entraide.cases.search``): PostgreSQL's index of 0006 gives way to one on the name with its punctuation as spaces;
SQLite's full-text index is rebuilt with such names (``search.install``, which also runs after every migrate)."""

from django.db import migrations


def install(apps, schema_editor):
    from entraide.cases import search

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS cases_subject_name_words_trgm")
    search.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS cases_subject_name_parts_trgm")


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_name_words_search")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
