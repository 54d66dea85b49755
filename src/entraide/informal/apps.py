from django.apps import AppConfig


class InformalConfig(AppConfig):
    name = "entraide.informal"
    label = "informal"
    default_auto_field = "django.db.models.BigAutoField"
