"""NAT-1, NAT-2, CERT-1: the 22-character number, drawn gap-free per (prefix, year, level), imported numbers
checked."""

from __future__ import annotations

import re

import pytest
from django.db import transaction

from kaowu.certificates.models import NumberCounter
from kaowu.certificates.services import numbering
from kaowu.policy.engine import RuleViolation

PREFIX = "S000011010001"


def test_drawn_numbers_follow_the_national_format_NAT_1(db):
    with transaction.atomic():
        numbers = numbering.draw(prefix=PREFIX, year=2026, level=5, count=3)
    assert numbers == ["S000011010001265000001", "S000011010001265000002", "S000011010001265000003"]
    assert all(re.fullmatch(r"^[SY]\d{21}$", n) and len(n) == 22 for n in numbers)


def test_sequence_runs_per_prefix_year_and_level_CERT_1(db):
    with transaction.atomic():
        a = numbering.draw(prefix=PREFIX, year=2026, level=5)
        b = numbering.draw(prefix=PREFIX, year=2026, level=4)
        c = numbering.draw(prefix=PREFIX, year=2027, level=5)
        d = numbering.draw(prefix=PREFIX, year=2026, level=5)
    assert [a[0][-7:], b[0][-7:], c[0][-7:], d[0][-7:]] == ["5000001", "4000001", "5000001", "5000002"]
    assert c[0][13:15] == "27"


def test_a_rolled_back_draw_leaves_no_gap_CERT_1(db):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        numbering.draw(prefix=PREFIX, year=2026, level=5, count=5)
        raise ZeroDivisionError("rolled back")
    with transaction.atomic():
        assert numbering.draw(prefix=PREFIX, year=2026, level=5) == ["S000011010001265000001"]
    assert NumberCounter.objects.get(prefix=PREFIX, year=26, level=5).last == 1


def test_the_last_sequence_999999_and_no_further_NAT_1(db):
    NumberCounter.objects.create(prefix=PREFIX, year=26, level=5, last=999_998)
    with transaction.atomic():
        assert numbering.draw(prefix=PREFIX, year=2026, level=5) == ["S000011010001265999999"]
    with pytest.raises(RuleViolation) as exc, transaction.atomic():
        numbering.draw(prefix=PREFIX, year=2026, level=5)
    assert exc.value.rule_id == "NAT-1"


def test_format_22_characters_accepted_21_refused_NAT_1(db):
    assert numbering.check_format("S000011010001265000001") == "S000011010001265000001"
    with pytest.raises(RuleViolation) as exc:
        numbering.check_format("S00001101000126500000")
    assert exc.value.rule_id == "NAT-1" and "21位" in exc.value.message and "22位" in exc.value.message


def test_kind_letter_S_or_Y_only_NAT_1(db):
    assert numbering.check_format("Y000011010001264000001")
    with pytest.raises(RuleViolation) as exc:
        numbering.check_format("X000011010001265000001")
    assert exc.value.rule_id == "NAT-1" and "首位" in exc.value.message


def test_level_digit_outside_1_to_5_refused_NAT_1(db):
    with pytest.raises(RuleViolation):
        numbering.check_format("S000011010001266000001")


def test_imported_number_with_agreeing_year_and_level_accepted_NAT_2(db):
    assert numbering.check_imported("S000011010001264000123", prefix=PREFIX, year=2026, level=4)


def test_imported_number_level_digit_disagreeing_refused_NAT_2(db):
    with pytest.raises(RuleViolation) as exc:
        numbering.check_imported("S000011010001265000123", prefix=PREFIX, year=2026, level=4)
    assert exc.value.rule_id == "NAT-2" and "第16位" in exc.value.message and "四级/中级工" in exc.value.message


def test_imported_number_year_disagreeing_refused_NAT_2(db):
    with pytest.raises(RuleViolation) as exc:
        numbering.check_imported("S000011010001254000123", prefix=PREFIX, year=2026, level=4)
    assert exc.value.rule_id == "NAT-2" and "年份" in exc.value.message


def test_imported_number_of_another_organisation_refused_NAT_2(db):
    with pytest.raises(RuleViolation) as exc:
        numbering.check_imported("S000011010002264000123", prefix=PREFIX, year=2026, level=4)
    assert "前13位" in exc.value.message


def test_prefix_from_the_filed_organisation_NAT_1(org_a):
    assert numbering.prefix_of(org_a) == "S000011010001"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_issuers_draw_without_gaps_or_duplicates_CERT_1():
    """Four threads, each its own connection and transactions, drawing at once under the PostgreSQL row lock:
    every number once, no gap. (SQLite's in-memory test database locks whole tables across connections; the bench
    runs the same on a SQLite file.)"""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections need PostgreSQL (or a SQLite file: bench/certificates.py)")

    drawn: list[str] = []
    lock = threading.Lock()

    def issuer():
        try:
            for _ in range(10):
                with transaction.atomic():
                    got = numbering.draw(prefix=PREFIX, year=2026, level=3, count=5)
                with lock:
                    drawn.extend(got)
        finally:
            connection.close()

    threads = [threading.Thread(target=issuer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seqs = sorted(int(n[-6:]) for n in drawn)
    assert seqs == list(range(1, 201))
