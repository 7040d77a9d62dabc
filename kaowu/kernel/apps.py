from django.apps import AppConfig


class KernelConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kaowu.kernel"
    label = "kernel"
    verbose_name = "内核"
