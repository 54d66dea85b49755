"""Trigram indexes for the register's text search (see ``entraide.cases.search``)."""

from django.db import migrations


def install(apps, schema_editor):
    from entraide.cases import search

    search.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from entraide.cases import search

    search.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
