from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kaowu.registration"
    verbose_name = "报名与资格审核"
    label = "registration"
