"""ARCH-1 traceability both ways (candidate → certificate, certificate → candidate), scoped: a district sees its
organisations' records only, an organisation its own (404 across either way)."""

from __future__ import annotations

import pytest
from django.http import Http404

from kaowu.oversight import queries


def test_candidate_traced_to_certificate_and_back_ARCH_1(issued_plan, org_admin):
    from kaowu.certificates.models import Certificate

    cert = Certificate.objects.filter(plan=issued_plan).order_by("number").first()
    forward = queries.trace_candidate(org_admin, cert.application.candidate_id)
    app = next(a for a in forward["applications"] if a["application"] == cert.application_id)
    assert app["result"] == "合格"
    assert app["certificates"][0]["number"] == cert.number
    assert app["roster_rows"][0]["number"] == cert.number
    back = queries.trace_certificate(org_admin, cert.number)
    assert back["from_certificate"]["application"] == cert.application_id
    assert back["candidate"]["id"] == cert.application.candidate_id
    assert "*" in back["candidate"]["doc_number"]


def test_trace_is_scoped_to_the_district_and_organisation_ARCH_1(
    cert_a, district_officer, haidian_officer, org_b_admin, centre_admin
):
    candidate_id = cert_a.application.candidate_id
    assert queries.trace_candidate(district_officer, candidate_id)["applications"]
    assert queries.trace_candidate(centre_admin, candidate_id)["applications"]
    for other in (haidian_officer, org_b_admin):
        with pytest.raises(Http404):
            queries.trace_candidate(other, candidate_id)
        with pytest.raises(Http404):
            queries.trace_certificate(other, cert_a.number)


def test_org_b_records_are_not_found_by_org_a_or_chaoyang_ARCH_1(cert_b, org_admin, district_officer, haidian_officer):
    assert queries.trace_certificate(haidian_officer, cert_b.number)["applications"]
    for other in (org_admin, district_officer):
        with pytest.raises(Http404):
            queries.trace_certificate(other, cert_b.number)
