from typing import Any

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "entraide.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from entraide.cases.search import after_migrate

        # SQLite drops a table's triggers when Django rebuilds the table: put the search index's back.
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="entraide.cases.search")

    def after_generate(self, stdout: Any = None) -> None:
        """``entraide generate`` wrote matters in bulk: merge the search index's segments (``search.optimize``)."""
        from django.db import connection

        from entraide.cases.search import optimize

        if optimize(connection) and stdout is not None:
            stdout.write("Search index of the register merged.")
