from django.apps import AppConfig


class ExamsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kaowu.exams"
    label = "exams"
    verbose_name = "认定当天考务"
