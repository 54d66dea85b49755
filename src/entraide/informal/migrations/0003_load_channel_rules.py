from django.db import migrations


def load(apps, schema_editor):
    from entraide.informal.advisor import load_rules

    load_rules(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("informal", "0002_channel_rules")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
