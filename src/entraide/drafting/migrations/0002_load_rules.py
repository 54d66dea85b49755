from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from entraide.drafting.loaders import load_rules

    load_rules(apps.get_model("drafting", "DraftRule"))


class Migration(migrations.Migration):
    dependencies = [("drafting", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
