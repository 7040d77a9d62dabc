from django.apps import AppConfig


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kaowu.home"
    label = "home"
    verbose_name = "首页"
