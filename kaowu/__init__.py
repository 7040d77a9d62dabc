"""kaowu: the exam administration of vocational skill level certification. The Celery app loads with Django."""

from kaowu.celery import app as celery_app

__all__ = ["celery_app"]
