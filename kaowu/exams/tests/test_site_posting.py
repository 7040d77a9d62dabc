"""考前一天张贴考场分布示意图和路标 (ARR-13, EV §一(三)2): recorded by the end of the day before the session it is
on time; later it is kept and flagged late; the chief's live run sheet shows whether and when it was done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from conftest import SHANGHAI
from kaowu.exams import queries
from kaowu.exams.models import SitePosting
from kaowu.exams.services.posting import posting_due, record_site_posting
from kaowu.kernel.errors import KaowuError
from kaowu.kernel.models import AuditEvent


def moment(day: dt.date, hh: int, mm: int, ss: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=SHANGHAI)


def client_for(actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def test_ARR_13_site_map_recorded_on_the_day_before_is_not_late(skill, org_admin, frozen):
    eve = skill.date - dt.timedelta(days=1)
    frozen.move_to(moment(eve, 23, 59, 59))
    posting = record_site_posting(actor=org_admin, session=skill)
    assert posting.late is False
    assert posting.site_id == skill.site_id
    assert posting_due(skill) == moment(eve, 23, 59, 59)
    assert AuditEvent.objects.filter(action="exams.site_posting.recorded", object_id=str(posting.pk)).exists()


def test_ARR_13_site_map_recorded_on_the_session_day_is_kept_but_late(skill, org_admin, frozen):
    frozen.move_to(moment(skill.date, 7, 0))
    posting = record_site_posting(actor=org_admin, session=skill)
    assert posting.late is True
    assert SitePosting.objects.filter(session=skill).count() == 1


def test_ARR_13_a_posting_time_stated_on_the_day_before_but_recorded_on_the_day_is_late(skill, org_admin, frozen):
    eve = skill.date - dt.timedelta(days=1)
    frozen.move_to(moment(skill.date, 7, 0))
    posting = record_site_posting(actor=org_admin, session=skill, posted_at=moment(eve, 17, 0))
    assert posting.late is True
    assert posting.posted_at == moment(eve, 17, 0)


def test_ARR_13_a_posting_time_in_the_future_is_refused_and_twice_keeps_the_first(skill, org_admin, frozen):
    eve = skill.date - dt.timedelta(days=1)
    frozen.move_to(moment(eve, 15, 0))
    with pytest.raises(KaowuError) as exc:
        record_site_posting(actor=org_admin, session=skill, posted_at=moment(eve, 18, 0))
    assert exc.value.code == "posted_in_future"
    first = record_site_posting(actor=org_admin, session=skill, posted_at=moment(eve, 14, 0))
    frozen.move_to(moment(skill.date, 7, 0))
    assert record_site_posting(actor=org_admin, session=skill).pk == first.pk


def test_ARR_13_only_the_chiefs_team_or_the_office_records_the_posting(skill, examiner, frozen):
    frozen.move_to(moment(skill.date - dt.timedelta(days=1), 15, 0))
    with pytest.raises(KaowuError) as exc:
        record_site_posting(actor=examiner, session=skill)
    assert exc.value.code == "chief_only"


def test_ARR_13_the_live_sheet_shows_when_the_site_map_went_up(skill_day, skill, chief, org_admin, frozen):
    sheet = queries.live_sheet(skill_day)
    assert sheet.posting.done is None
    record_site_posting(actor=org_admin, session=skill)  # 08:00 on the day: late
    sheet = queries.live_sheet(skill_day)
    assert sheet.posting.done is not None and sheet.posting.late
    page = client_for(chief).get(reverse("exams:live", args=[skill.pk]))
    html = page.content.decode()
    assert 'id="site-posting"' in html and "已张贴" in html and "逾期" in html


def test_ARR_13_the_office_records_the_posting_from_the_run_sheet_page(skill, org_admin, frozen):
    eve = skill.date - dt.timedelta(days=1)
    frozen.move_to(moment(eve, 16, 0))
    client = client_for(org_admin)
    page = client.get(reverse("exams:live", args=[skill.pk]))
    assert "尚未记录张贴" in page.content.decode()
    done = client.post(reverse("exams:site_posting", args=[skill.pk]), {"posted_at": f"{eve.isoformat()}T15:30"})
    assert done.status_code == 302
    posting = SitePosting.objects.get(session=skill)
    assert posting.posted_at == moment(eve, 15, 30) and not posting.late


def test_ARR_13_org_b_office_gets_404_on_org_a_site_posting(skill, org_b_admin, frozen):
    frozen.move_to(moment(skill.date - dt.timedelta(days=1), 16, 0))
    client = client_for(org_b_admin)
    assert client.post(reverse("exams:site_posting", args=[skill.pk])).status_code == 404
    assert client.get(reverse("exams:live", args=[skill.pk])).status_code == 404
    assert not SitePosting.objects.filter(session=skill).exists()
