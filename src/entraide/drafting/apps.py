from django.apps import AppConfig


class DraftingConfig(AppConfig):
    name = "entraide.drafting"
    label = "drafting"
    default_auto_field = "django.db.models.BigAutoField"
