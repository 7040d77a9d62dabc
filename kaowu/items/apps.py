from django.apps import AppConfig


class ItemsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kaowu.items"
    label = "items"
    verbose_name = "题库与组卷"
