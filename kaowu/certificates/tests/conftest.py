"""Fixtures of the certificates tests: org A's open plan with approved applications, a certificate made directly
(for the tests of numbering, credentials, printing and verification, which do not need results), a seal image."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from conftest import SHANGHAI
from kaowu.certificates.models import Certificate, CertificateSettings
from kaowu.certificates.services import credentials, numbering
from kaowu.kernel import clock
from tests import factories as f


def seal_png(text: str = "评价专用章") -> bytes:
    """A red round seal drawn with Pillow (the demo's stand-in for a scanned seal)."""
    from PIL import Image, ImageDraw, ImageFont

    size = 400
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    red = (220, 20, 30, 230)
    draw.ellipse((8, 8, size - 8, size - 8), outline=red, width=14)
    cx = cy = size // 2
    r = 60
    points = []
    import math

    for i in range(10):
        angle = -math.pi / 2 + i * math.pi / 5
        rad = r if i % 2 == 0 else r * 0.4
        points.append((cx + rad * math.cos(angle), cy + rad * math.sin(angle)))
    draw.polygon(points, fill=red)
    try:
        font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 44)
        draw.text((cx, cy + 110), text, fill=red, font=font, anchor="mm")
    except OSError:
        pass
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def photo_jpeg() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (250, 350), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.ellipse((75, 60, 175, 180), fill=(90, 70, 60))
    draw.rectangle((45, 200, 205, 350), fill=(40, 60, 110))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def apps_a(open_plan, org_admin):
    return f.approved_applications(plan=open_plan, actor=org_admin, count=3)


@pytest.fixture
def with_seal(org_a):
    s = CertificateSettings.objects.create(org=org_a)
    s.seal.save("seal.png", ContentFile(seal_png()), save=True)
    return s


def make_certificate(application, *, issued_on: dt.date | None = None) -> Certificate:
    """A certificate row written directly (numbered and signed as issuing does)."""
    plan = application.plan
    issued_on = issued_on or clock.today()
    with transaction.atomic():
        number = numbering.draw(prefix=numbering.prefix_of(plan.org), year=issued_on.year, level=application.level)[0]
        c = application.candidate
        cert = Certificate(
            number=number,
            org=plan.org,
            plan=plan,
            application=application,
            holder_name=c.name,
            doc_type=c.doc_type,
            doc_number=c.doc_number,
            org_name=plan.org.full_name,
            occupation=plan.occupation.name,
            occupation_code=plan.occupation.code,
            work_type=plan.work_type.name if plan.work_type_id else "",
            level=application.level,
            issued_on=issued_on,
            issued_at=clock.now(),
        )
        key = credentials.current_key(plan.org)
        cert.key = key
        cert.credential, _ = credentials.sign(cert, key)
        cert.history = [{"kind": "发证", "at": issued_on.isoformat(), "note": ""}]
        cert.save()
        from kaowu.certificates.enums import EventKind
        from kaowu.certificates.models import CertificateEvent

        CertificateEvent.objects.create(certificate=cert, kind=EventKind.ISSUED, at=clock.now())
    return cert


@pytest.fixture
def cert_a(apps_a):
    app = apps_a[0]
    app.candidate.photo.save("p.jpg", ContentFile(photo_jpeg()), save=True)
    return make_certificate(app)


def spine_before_results(plan) -> None:
    """Every recorded step before the results marked done (the unit tests here are about certificates)."""
    from kaowu.plans import milestones
    from kaowu.plans.enums import Milestone

    for step in milestones.STEPS:
        if step.key in (Milestone.RESULTS_PUBLISHED, Milestone.RESULTS_UPLOADED, Milestone.CERTIFICATES_MADE):
            continue
        if step.recorded:
            f.given_steps(plan, step.key)


def results_for(apps, outcomes, *, published=True, uploaded=True):
    from kaowu.results.models import Result

    now = clock.now()
    return [
        Result.objects.create(
            application=a,
            plan=a.plan,
            outcome=o,
            computed_at=now,
            published_at=now if published else None,
            uploaded_at=now if uploaded else None,
        )
        for a, o in zip(apps, outcomes, strict=True)
    ]


@pytest.fixture
def passed_plan(frozen, apps_a):
    """Org A's plan after its exam: 2 合格 and 1 不合格, published, the publicity over, uploaded."""
    from kaowu.plans.enums import Milestone
    from kaowu.results.enums import Outcome

    plan = apps_a[0].plan
    spine_before_results(plan)
    frozen.move_to(dt.datetime.combine(plan.last_date + dt.timedelta(days=1), dt.time(9, 0), tzinfo=SHANGHAI))
    results_for(apps_a, [Outcome.PASSED, Outcome.PASSED, Outcome.FAILED])
    f.given_steps(plan, Milestone.RESULTS_PUBLISHED)
    frozen.move_to(dt.datetime.combine(plan.last_date + dt.timedelta(days=9), dt.time(9, 0), tzinfo=SHANGHAI))
    f.given_steps(plan, Milestone.RESULTS_UPLOADED)
    return plan
