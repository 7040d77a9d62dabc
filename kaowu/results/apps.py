from django.apps import AppConfig


class ResultsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kaowu.results"
    label = "results"
    verbose_name = "成绩与认定结果"
