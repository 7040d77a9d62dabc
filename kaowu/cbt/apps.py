from django.apps import AppConfig


class CbtConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kaowu.cbt"
    label = "cbt"
    verbose_name = "机考"
