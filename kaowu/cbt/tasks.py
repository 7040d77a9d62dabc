"""Celery tasks of the 机考: every minute, hand in the attempts whose end has come (the seat's own access does it
too, so a stopped worker loses nothing; the end, not the task's run, is the hand-in time)."""

from celery import shared_task


@shared_task(name="kaowu.cbt.auto_hand_in")
def auto_hand_in_due() -> int:
    from kaowu.cbt.enums import AttemptStatus
    from kaowu.cbt.models import Attempt
    from kaowu.cbt.services.attempts import auto_hand_in
    from kaowu.exams.models import ExamDay
    from kaowu.kernel import clock

    now = clock.now()
    days = ExamDay.objects.filter(
        pk__in=Attempt.objects.filter(status=AttemptStatus.RUNNING, ends_at__lte=now).values("exam_day_id")
    )
    return sum(auto_hand_in(day, now) for day in days)
