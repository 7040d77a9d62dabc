from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "kaowu.certificates"
    verbose_name = "证书"

    def ready(self) -> None:
        from kaowu.certificates import tasks  # noqa: F401  (registers the batch-print job runner)
