"""The shipped clock rules, so that a fresh database runs the clocks of extradition from the start."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from entraide.extradition.loaders import load_clock_rules

    load_clock_rules(model=apps.get_model("extradition", "ClockRule"))


class Migration(migrations.Migration):
    dependencies = [("extradition", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
