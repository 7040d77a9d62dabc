from django.apps import AppConfig


class PolicyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kaowu.policy"
    verbose_name = "规则与日历"
    label = "policy"
