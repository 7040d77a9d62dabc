"""The admin never bypasses a service: rows written by service functions are read-only there, the reference
rows the centre keeps in the admin are audited, and every app is named in Chinese."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory

from kaowu.kernel.admin import AuditedAdmin, ReadOnlyAdmin
from kaowu.kernel.models import AuditEvent

# Reference data with no service function: kept by the centre in the admin, each save audited (AuditedAdmin),
# or Django's own user admin.
EDITABLE = {"parties.user", "parties.centre", "parties.district", "catalog.occupation", "catalog.standard"}
EDITABLE |= {"catalog.standardlevel", "policy.complianceflag"}


def test_every_admin_is_read_only_or_audited_or_reference_data():
    loose = []
    for model, model_admin in admin.site._registry.items():
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        if not model.__module__.startswith("kaowu."):
            continue
        if isinstance(model_admin, ReadOnlyAdmin | AuditedAdmin) or label in EDITABLE:
            continue
        loose.append(label)
    assert not loose, loose


@pytest.fixture
def admin_user(centre_admin):
    """The centre's officer who keeps the admin (as in the demo)."""
    user = centre_admin.user
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def test_read_only_admins_refuse_add_change_and_delete(admin_user):
    from kaowu.plans.models import PlanMilestone

    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = admin.site._registry[PlanMilestone]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_an_organisation_edited_in_the_admin_is_audited(client, admin_user, org_a):
    client.force_login(admin_user)
    url = f"/admin/parties/evaluationorg/{org_a.pk}/change/"
    form = client.get(url)
    assert form.status_code == 200
    data = {k: v for k, v in form.context["adminform"].form.initial.items() if v is not None}
    data.update(short_name="成人按摩学校", district=org_a.district_id, kind=org_a.kind)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="parties.evaluationorg.changed")
    assert event.changes["short_name"] == ["成人按摩", "成人按摩学校"]


def test_every_app_has_a_chinese_name():
    ours = [c for c in apps.get_app_configs() if c.name.startswith("kaowu.")]
    assert ours and all(any("\u4e00" <= ch <= "\u9fff" for ch in c.verbose_name) for c in ours), [
        c.verbose_name for c in ours
    ]
