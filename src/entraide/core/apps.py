from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "entraide.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from entraide.core.runtime import tune

        tune(settings.ENTRAIDE_GC_THRESHOLD)
