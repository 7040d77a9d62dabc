from django.apps import AppConfig


class DemoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kaowu.demo"
    label = "demo"
    verbose_name = "演示数据"
