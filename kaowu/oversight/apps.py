from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "kaowu.oversight"
    verbose_name = "监督与档案"
