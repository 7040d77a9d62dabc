from django.apps import AppConfig


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kaowu.plans"
    verbose_name = "认定计划"
    label = "plans"
