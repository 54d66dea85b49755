"""Searches of one or two characters look for a whole name part (``entraide.cases.search``): on PostgreSQL a
trigram index on each subject's name with a space at both ends; on SQLite the full-text index is rebuilt with its
names so written (``search.install`` does both, and does nothing that is already done)."""

from django.db import migrations


def install(apps, schema_editor):
    from entraide.cases import search

    search.install(schema_editor.connection)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS cases_subject_name_words_trgm")
        schema_editor.execute("DROP INDEX IF EXISTS cases_subject_name_parts_trgm")


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_search_covering_index")]

    operations = [migrations.RunPython(install, drop_index, elidable=False)]
