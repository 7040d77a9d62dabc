"""考前一天张贴考场分布示意图和路标 (ARR-13, EV §一(三)2): the site lead, the chief's team or the office records that
the site map and signs are up, with the time they went up. Recorded after the end of the day before the session
(ARR-13 posting_days_before) it is kept, flagged late. Recording twice keeps the first."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from kaowu.exams.models import SitePosting
from kaowu.exams.permissions import runs_the_day
from kaowu.exams.schedule import aware
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import NotAllowed, require
from kaowu.plans.models import Session
from kaowu.policy.engine import rule


def posting_due(session: Session) -> dt.datetime:
    """The end of the day before the session (23:59:59 Beijing time on T − posting_days_before)."""
    day = session.date - dt.timedelta(days=rule("ARR-13")["posting_days_before"])
    return aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def record_site_posting(
    *, actor: Actor, session: Session, posted_at: dt.datetime | None = None, note: str = ""
) -> SitePosting:
    """Record 「考场示意图、标识已张贴」 for the session's site (posted now unless `posted_at` says when).

    Late (kept, flagged) when posted or recorded after `posting_due`. Writes audit event exams.site_posting.recorded.
    """
    if not runs_the_day(actor, session):
        raise NotAllowed("考场示意图和标识的张贴由认定场所负责人、主考或本机构考务办公室记录。", code="chief_only")
    existing = SitePosting.objects.filter(session=session).first()
    if existing is not None:
        return existing
    now = clock.now()
    posted_at = aware(posted_at) if posted_at is not None else now
    require(
        posted_at <= now, "张贴时间不能晚于现在，请填写实际张贴的时间。", code="posted_in_future", field="posted_at"
    )
    due = posting_due(session)
    late = max(posted_at, now) > due
    try:
        with transaction.atomic():
            posting = SitePosting.objects.create(
                session=session,
                site_id=session.site_id,
                posted_at=posted_at,
                due_at=due,
                recorded_at=now,
                recorded_by=actor.acting_user,
                late=late,
                note=note[:200],
            )
            audit.record(
                actor,
                "exams.site_posting.recorded",
                posting,
                org_id=session.plan.org_id,
                changes={"posted_at": [None, timezone.localtime(posted_at).isoformat()], "late": [None, late]},
            )
    except IntegrityError:
        return SitePosting.objects.get(session=session)
    return posting
