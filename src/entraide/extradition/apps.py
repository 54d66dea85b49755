from django.apps import AppConfig


class ExtraditionConfig(AppConfig):
    name = "entraide.extradition"
    label = "extradition"
    default_auto_field = "django.db.models.BigAutoField"
