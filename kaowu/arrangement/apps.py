from django.apps import AppConfig


class ArrangementConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kaowu.arrangement"
    label = "arrangement"
