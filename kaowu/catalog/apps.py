from django.apps import AppConfig


class CatalogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kaowu.catalog"
    verbose_name = "职业与标准"
    label = "catalog"
