from django.apps import AppConfig


class ArrangementConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kaowu.arrangement"
    verbose_name = "考务编排"
    label = "arrangement"
