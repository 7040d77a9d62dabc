"""ARCH-1: retention classes as data, deletion refused before the period ends (service and PostgreSQL trigger),
the archive index at a fixed place, and disposal lists approved by another person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from conftest import at
from kaowu.oversight.enums import DisposalStatus, Retention
from kaowu.oversight.models import DisposalItem, RecordKind
from kaowu.oversight.services import retention
from kaowu.policy.engine import RuleViolation
from kaowu.registration.models import Application

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")


def test_each_record_kind_has_a_retention_class_from_the_profile_ARCH_1(db):
    kinds = {k.label: k for k in RecordKind.objects.all()}
    assert kinds["certificates.roster"].retention == Retention.FOREVER
    assert kinds["exams.roomrecord"].retention == Retention.PAPER
    assert kinds["registration.application"].retention == Retention.ELECTRONIC
    assert retention.years_of(kinds["exams.roomrecord"]) == 3
    assert retention.years_of(kinds["registration.application"]) == 5
    assert retention.years_of(kinds["certificates.roster"]) is None


def test_application_deletion_the_day_before_expiry_refused_by_the_service_ARCH_1(apps_a, frozen):
    app = apps_a[0]
    ends = retention.expires_on(app, retention.kind_of(app))
    assert ends == retention.add_years(app.created_at.astimezone(at(ends).tzinfo).date(), 5)
    with pytest.raises(RuleViolation) as exc:
        retention.require_deletable(app, today=ends - dt.timedelta(days=1))
    assert exc.value.rule_id == "ARCH-1"
    retention.require_deletable(app, today=ends)  # the expiry day: allowed (onto a disposal list)


def test_delete_record_is_refused_inside_the_period_and_nothing_is_lost_ARCH_1(apps_a, org_admin):
    with pytest.raises(RuleViolation) as exc:
        retention.delete_record(actor=org_admin, obj=apps_a[0])
    assert exc.value.rule_id == "ARCH-1"
    assert Application.objects.filter(pk=apps_a[0].pk).exists()


def test_roster_is_never_deletable_by_the_service_ARCH_1(cert_a):
    from kaowu.certificates.models import Roster

    roster = Roster(plan=cert_a.plan, compiled_at=cert_a.issued_at)
    with pytest.raises(RuleViolation) as exc:
        retention.require_deletable(roster, today=dt.date(2200, 1, 1))
    assert exc.value.rule_id == "ARCH-1"


def test_expiry_day_puts_the_record_on_a_disposal_list_not_the_day_before_ARCH_1(apps_a, org_admin, org_a):
    app = apps_a[0]
    ends = retention.expires_on(app, retention.kind_of(app))
    before = retention.prepare_disposal_list(actor=org_admin, org=org_a, as_of=ends - dt.timedelta(days=1))
    assert not before.items.filter(object_id=app.pk, kind__label="registration.application").exists()
    on_day = retention.prepare_disposal_list(actor=org_admin, org=org_a, as_of=ends)
    item = on_day.items.get(object_id=app.pk, kind__label="registration.application")
    assert item.expires_on == ends
    assert on_day.status == DisposalStatus.PREPARED
    assert Application.objects.filter(pk=app.pk).exists()  # a list, never a silent delete


def test_disposal_list_is_approved_by_another_person_ARCH_1(apps_a, org_admin, org_a_head, org_a):
    disposal = retention.prepare_disposal_list(actor=org_admin, org=org_a, as_of=dt.date(2040, 1, 1))
    with pytest.raises(RuleViolation) as exc:
        retention.approve_disposal(actor=org_admin, disposal=disposal)
    assert exc.value.rule_id == "ARCH-1"
    approved = retention.approve_disposal(actor=org_a_head, disposal=disposal, note="同意")
    assert approved.status == DisposalStatus.APPROVED and approved.decided_by == org_a_head.user


def test_an_unapproved_disposal_list_destroys_nothing_ARCH_1(apps_a, org_admin, org_a):
    disposal = retention.prepare_disposal_list(actor=org_admin, org=org_a, as_of=dt.date(2040, 1, 1))
    assert DisposalItem.objects.filter(disposal=disposal).count() >= 3
    with pytest.raises(RuleViolation) as exc:
        retention.dispose(actor=org_admin, disposal=disposal)
    assert exc.value.rule_id == "ARCH-1"


def test_archive_index_needs_a_fixed_place_ARCH_1(org_admin, org_a, open_plan):
    kind = RecordKind.objects.get(label="exams.roomrecord")
    with pytest.raises(RuleViolation) as exc:
        retention.file_archive_entry(actor=org_admin, org=org_a, kind=kind, description="考场情况记录单", location=" ")
    assert exc.value.rule_id == "ARCH-1"
    entry = retention.file_archive_entry(
        actor=org_admin,
        org=org_a,
        kind=kind,
        description="考场情况记录单",
        location="档案室A",
        box="3柜2盒",
        plan=open_plan,
    )
    assert entry.location == "档案室A" and entry.filed_by == org_admin.user


def test_paper_archive_entry_expires_after_3_years_onto_the_list_ARCH_1(org_admin, org_a, frozen):
    kind = RecordKind.objects.get(label="exams.roomrecord")
    entry = retention.file_archive_entry(actor=org_admin, org=org_a, kind=kind, description="记录单", location="档案室")
    ends = retention.add_years(entry.filed_on, 3)
    early = retention.prepare_disposal_list(actor=org_admin, org=org_a, as_of=ends - dt.timedelta(days=1))
    assert not any(i.label.startswith("档案：") for i in early.items.all())
    due = retention.prepare_disposal_list(actor=org_admin, org=org_a, as_of=ends)
    assert any(i.label.startswith("档案：") and i.object_id == entry.pk for i in due.items.all())


@postgres_only
def test_application_row_cannot_be_deleted_with_raw_sql_inside_its_period_ARCH_1(apps_a):
    with pytest.raises(DatabaseError, match="ARCH-1"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM registration_application WHERE id = %s", [apps_a[0].pk])
    assert Application.objects.filter(pk=apps_a[0].pk).exists()


@postgres_only
def test_roster_row_cannot_be_deleted_with_raw_sql_ARCH_1(issued_plan):
    from kaowu.certificates.models import RosterRow

    r = issued_plan.roster
    assert RosterRow.objects.filter(roster=r).exists()
    with pytest.raises(DatabaseError, match="ARCH-1"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM certificates_rosterrow WHERE roster_id = %s", [r.pk])
    assert RosterRow.objects.filter(roster=r).exists()


@postgres_only
def test_an_expired_row_may_be_deleted_by_the_database_ARCH_1(apps_a):
    """The trigger's other side: a record whose period has ended passes (here one dated 6 years back)."""
    from kaowu.registration.models import Commitment

    app = apps_a[0]
    c = Commitment.objects.create(
        application=app, kind="work", text="t", signed_by=app.created_by, signed_at=at(dt.date(2015, 1, 1))
    )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registration_commitment WHERE id = %s", [c.pk])
    assert not Commitment.objects.filter(pk=c.pk).exists()
