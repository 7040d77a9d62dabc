"""Masks that hide: a masked ID number cannot be rebuilt from what the same response shows (kernel.masking)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from kaowu.kernel.masking import mask_id_number
from kaowu.kernel.models import AuditEvent
from kaowu.registration.idcard import check_character
from kaowu.registration.models import Application

NUMBER = "110105199003071239"


def rebuilds(masked: str, *, counties: list[str], births: list[dt.date]) -> list[str]:
    """Every valid number that fits the mask, for an attacker who knows the candidate counties and birth dates."""
    head, tail = masked[:3], masked[-4:]
    found = []
    for county in counties:
        for birth in births:
            first17 = f"{head}{county}{birth:%Y%m%d}{tail[:3]}"
            if len(first17) == 17 and check_character(first17) == tail[3]:
                found.append(first17 + tail[3])
    return found


def test_the_mask_keeps_the_first_3_and_last_4_characters_and_the_length():
    assert mask_id_number(NUMBER) == "110***********1239"
    assert mask_id_number("11010519491231002X") == "110***********002X"
    assert len(mask_id_number(NUMBER)) == len(NUMBER)
    assert mask_id_number("E1234567") == "******67" and mask_id_number("") == ""


def test_the_mask_hides_the_birth_date_and_the_county():
    masked = mask_id_number(NUMBER)
    assert "19900307" not in masked and "105" not in masked[:6]


def test_a_shown_county_leaves_thousands_of_numbers_open():
    """The household registration gives the county: every day of a lifetime is still open (~1 in 11 fit)."""
    births = [dt.date(1940, 1, 1) + dt.timedelta(days=d) for d in range(0, 365 * 70)]
    fits = rebuilds(mask_id_number(NUMBER), counties=["105"], births=births)
    assert NUMBER in fits and len(fits) > 2000


def test_a_shown_birth_date_would_narrow_it_to_the_county_so_no_response_shows_both():
    """With the birth date known only the county digits are open: tens of numbers, and for a city with a
    handful of counties one or two. Hence the second half of the rule: responses with a mask carry no birth date."""
    fits = rebuilds(mask_id_number(NUMBER), counties=[f"{n:03d}" for n in range(1000)], births=[dt.date(1990, 3, 7)])
    assert NUMBER in fits and len(fits) < 200


@pytest.fixture
def office_client(open_plan, org_admin):
    from tests import factories as f

    f.approved_applications(plan=open_plan, actor=org_admin, count=3)
    client = Client()
    client.force_login(org_admin.user)
    return client


def test_no_api_response_with_a_masked_number_carries_the_birth_date(office_client, open_plan):
    apps = list(Application.objects.filter(plan=open_plan).select_related("candidate"))
    paths = ["/api/v1/candidates?page_size=200", f"/api/v1/plans/{open_plan.pk}/applications?page_size=200"]
    for app in apps:
        paths += [f"/api/v1/candidates/{app.candidate_id}", f"/api/v1/applications/{app.pk}"]
    for path in paths:
        r = office_client.get(path)
        assert r.status_code == 200, path
        text = r.content.decode()
        for app in apps:
            c = app.candidate
            if c.masked_doc_number in text:
                assert c.birth_date.isoformat() not in text and f"{c.birth_date:%Y%m%d}" not in text, path
                assert c.doc_number not in text, path
        assert any(app.candidate.masked_doc_number in text for app in apps), path


def test_the_review_screen_shows_the_age_and_the_birth_date_only_with_the_audited_full_number(office_client, open_plan):
    app = Application.objects.filter(plan=open_plan).select_related("candidate").first()
    c = app.candidate
    page = office_client.get(f"/applications/{app.pk}/").content.decode()
    assert c.masked_doc_number in page and c.birth_date.isoformat() not in page and "岁" in page
    before = AuditEvent.objects.filter(action="registration.candidate.id_revealed").count()
    page = office_client.get(f"/applications/{app.pk}/?show_id=1").content.decode()
    assert c.doc_number in page and c.birth_date.isoformat() in page
    assert AuditEvent.objects.filter(action="registration.candidate.id_revealed").count() == before + 1


def test_every_download_of_full_numbers_is_audited(office_client, open_plan):
    app = Application.objects.filter(plan=open_plan).first()
    downloads = {
        f"/api/v1/applications/{app.pk}/archive.pdf": "registration.archive.downloaded",
        f"/applications/{app.pk}/archive.pdf": "registration.archive.downloaded",
        f"/api/v1/plans/{open_plan.pk}/export.xlsx": "registration.export.downloaded",
        f"/plans/{open_plan.pk}/export.xlsx": "registration.export.downloaded",
        f"/api/v1/applications/{app.pk}/commitments/work/text": "registration.commitment_text.read",
    }
    for path, action in downloads.items():
        before = AuditEvent.objects.filter(action=action).count()
        assert office_client.get(path).status_code == 200, path
        assert AuditEvent.objects.filter(action=action).count() == before + 1, path
