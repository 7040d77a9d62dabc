"""Fixtures of the oversight tests: org A's open plan with approved applications, a certificate and a roster
made directly (kaowu.certificates.tests.conftest), and the chief's names for sign-offs."""

from __future__ import annotations

import pytest

from kaowu.certificates.tests import conftest as certificate_fixtures
from kaowu.certificates.tests.conftest import make_certificate
from tests import factories as f

passed_plan = certificate_fixtures.passed_plan  # org A's plan after its results (2 passed, 1 failed)


@pytest.fixture
def apps_a(open_plan, org_admin):
    return f.approved_applications(plan=open_plan, actor=org_admin, count=3)


@pytest.fixture
def cert_a(apps_a):
    return make_certificate(apps_a[0])


@pytest.fixture
def org_a_head(org_a):
    """A second admin of org A: the one who approves what another prepared."""
    from kaowu.kernel.actors import Actor
    from kaowu.kernel.enums import Role

    return Actor.of(f.user("org_a_head", Role.ORG_ADMIN, org=org_a, display_name="陈负责"))


@pytest.fixture
def issued_plan(passed_plan, org_admin):
    """Org A's plan with certificates issued for its 2 passes and the roster compiled."""
    from kaowu.certificates.services import issuing, roster

    issuing.issue_certificates(actor=org_admin, plan=passed_plan)
    roster.compile_roster(actor=org_admin, plan=passed_plan)
    return passed_plan


@pytest.fixture
def open_b(plan_b, org_b_admin, centre_admin):
    return f.open_plan(plan=plan_b, org_admin=org_b_admin, centre_admin=centre_admin)


@pytest.fixture
def apps_b(open_b, org_b_admin):
    """Two approved applications of org B written directly (their occupation needs work records the factory
    does not make; these tests are about who may see them)."""
    from kaowu.kernel import clock
    from kaowu.registration.enums import ApplicationStatus
    from kaowu.registration.models import Application

    return [
        Application.objects.create(
            candidate=f.candidate(n),
            plan=open_b,
            level=5,
            standard=open_b.standard,
            status=ApplicationStatus.APPROVED,
            created_at=clock.now(),
            created_by=org_b_admin.user,
        )
        for n in (101, 102)
    ]


@pytest.fixture
def cert_b(apps_b):
    return make_certificate(apps_b[0])
