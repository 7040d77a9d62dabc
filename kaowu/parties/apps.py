from django.apps import AppConfig


class PartiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kaowu.parties"
    label = "parties"
    verbose_name = "单位与人员"
