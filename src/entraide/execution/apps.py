from django.apps import AppConfig


class ExecutionConfig(AppConfig):
    name = "entraide.execution"
    label = "execution"
    default_auto_field = "django.db.models.BigAutoField"
