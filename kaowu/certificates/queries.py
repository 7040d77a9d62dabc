"""Reads of certificates: the organisation's lists (scoped by kernel.tenancy), the candidate's own, and the
public verification (CERT-3), which answers valid / revoked / replaced / unknown with masked holder data and
every event as status, cached per number (the cache entry is dropped on any change, services.issuing.forget)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet

from kaowu.certificates.enums import CertStatus
from kaowu.certificates.models import Certificate, SigningKey, StockSheet
from kaowu.certificates.printouts.certificate import LEVEL_WORDS
from kaowu.certificates.services import credentials
from kaowu.certificates.services.issuing import VERIFY_CACHE
from kaowu.kernel import throttle
from kaowu.kernel.actors import Actor
from kaowu.kernel.masking import mask_id_number
from kaowu.kernel.tenancy import for_actor, get_for_actor_or_404
from kaowu.plans.enums import PlanStatus
from kaowu.plans.queries import visible_plans
from kaowu.results.enums import Outcome

VERIFY_SECONDS = 300


def certificates_of_plan(actor: Actor, plan) -> QuerySet:
    return for_actor(Certificate, actor).filter(plan=plan).select_related("application__candidate").order_by("number")


def certificate_for(actor: Actor, pk: int) -> Certificate:
    return get_for_actor_or_404(Certificate.objects.select_related("org", "plan"), actor, pk=pk)


def own_certificates(actor: Actor) -> QuerySet:
    return for_actor(Certificate, actor).order_by("-issued_on", "number")


def mask_name(name: str) -> str:
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def _name_digest(name: str) -> str:
    return hashlib.sha256((name or "").strip().encode("utf-8")).hexdigest()


_PUBLIC_FIELDS = ("status", "holder_name", "doc_number", "occupation", "work_type", "level", "issued_on", "org_name")


def _public_row(number: str) -> dict | None:
    """One indexed lookup by number in plain SQL: the ORM's query building was half of a public lookup's time
    (cProfile of /verify/api.json, docs/decisions.md). Columns are taken from the model, never spelled here."""
    meta = Certificate._meta
    columns = [meta.get_field(f).column for f in (*_PUBLIC_FIELDS, "history")]
    sql = "SELECT {} FROM {} WHERE {} = %s LIMIT 1".format(
        ", ".join(connection.ops.quote_name(c) for c in columns),
        connection.ops.quote_name(meta.db_table),
        connection.ops.quote_name(meta.get_field("number").column),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [number])
        found = cursor.fetchone()
    if found is None:
        return None
    row = dict(zip(_PUBLIC_FIELDS, found[:-1], strict=True))
    history = found[-1]
    row["history"] = json.loads(history) if isinstance(history, str | bytes) else history
    if isinstance(row["issued_on"], str):
        row["issued_on"] = dt.date.fromisoformat(row["issued_on"])
    return row


def _status_of(number: str) -> dict | None:
    """The public record of `number` (cached): None when no certificate has it."""
    key = VERIFY_CACHE + number
    found = cache.get(key)
    if found is not None:
        return found or None
    row = _public_row(number)
    if row is None:
        cache.set(key, {}, VERIFY_SECONDS)
        return None
    found = {
        "number": number,
        "status": row["status"],
        "status_label": CertStatus(row["status"]).label,
        "name_digest": _name_digest(row["holder_name"]),
        "holder": mask_name(row["holder_name"]),
        "doc_number": mask_id_number(row["doc_number"]),
        "occupation": row["occupation"],
        "work_type": row["work_type"] or "--",
        "level": LEVEL_WORDS[row["level"]],
        "issued_on": row["issued_on"].isoformat(),
        "org_name": row["org_name"],
        "events": row["history"],
    }
    cache.set(key, found, VERIFY_SECONDS)
    return found


def verify_throttled(ip: str | None) -> bool:
    """CERT-3's brake per address: generous for an employer checking a list, tight for guessing names."""
    return throttle.over("cert-verify", ip or "unknown", limit=settings.CERT_VERIFY_PER_MINUTE, window=60)


def verify(number: str, name: str) -> dict:
    """CERT-3: {"result": "valid" | "revoked" | "replaced" | "unknown", ...masked data}. Number and name must both
    match: a right number with a wrong name answers unknown (no holder data leaks by guessing numbers)."""
    number = (number or "").strip().upper()
    found = _status_of(number) if len(number) == 22 else None
    if found is None or found["name_digest"] != _name_digest(name):
        return {"result": "unknown", "number": number, "message": "未查到该证书：请核对证书编号和姓名。"}
    out = {k: v for k, v in found.items() if k != "name_digest"}
    out["result"] = found["status"]
    return out


def verify_qr(token: str) -> dict:
    """A scanned QR: the signature checked offline against the published keys, then the online status."""
    checked = credentials.verify_token(token, public_keys())
    if not checked.valid:
        return {"result": "invalid", "message": f"二维码无效：{checked.reason}。"}
    found = _status_of(checked.claims["n"])
    if found is None:
        return {"result": "unknown", "number": checked.claims["n"], "message": "签名有效，但未查到该证书记录。"}
    out = {k: v for k, v in found.items() if k != "name_digest"}
    out["result"] = found["status"]
    return out


def public_keys(org_id: int | None = None) -> dict[str, str]:
    key = f"kaowu:cert-keys:{org_id}"
    found = cache.get(key)
    if found is None:
        found = credentials.public_keys(org_id)
        cache.set(key, found, 60)
    return found


def published_keys() -> list[dict]:
    """The public half of every key, with its validity, for offline verifiers (`/verify/keys.json`)."""
    return [
        {
            "key_id": k,
            "org": org,
            "public_key": pub,
            "algorithm": "Ed25519",
            "valid_from": vf.isoformat(),
            "retired_at": ra.isoformat() if ra else None,
        }
        for k, org, pub, vf, ra in SigningKey.objects.order_by("valid_from").values_list(
            "key_id", "org__full_name", "public_key", "valid_from", "retired_at"
        )
    ]


def certificate_by_number(actor: Actor, number: str) -> Certificate:
    """One of the actor's certificates by its number (the blank-stock log names the certificate printed on a
    sheet); another organisation's number is the same 404 as a missing one."""
    return get_for_actor_or_404(Certificate.objects.all(), actor, number=(number or "").strip().upper())


def signing_keys(actor: Actor, org) -> list[SigningKey]:
    """The organisation's credential keys, newest first, with when each was retired (rotation is recorded)."""
    if actor.org_id != org.pk:
        return []
    return list(SigningKey.objects.filter(org=org).order_by("-valid_from").only("key_id", "valid_from", "retired_at"))


def recent_sheets(org, limit: int = 30) -> list[StockSheet]:
    return list(StockSheet.objects.filter(org=org).select_related("certificate").order_by("-at", "-pk")[:limit])


def plans_after_the_exam(actor: Actor, *, today, limit: int = 100) -> list[dict]:
    """The accepted or confirmed plans the actor sees whose first exam day has come, newest first, with how many results and
    valid certificates each has: the way into each plan's 成绩 and 证书 pages. Three queries whatever the count."""
    plans = list(
        visible_plans(actor)
        .filter(status__in=[PlanStatus.ACCEPTED, PlanStatus.CONFIRMED], first_date__lte=today)
        .select_related("org", "occupation")
        .annotate(
            n_results=Count("results", distinct=True),
            n_passed=Count("results", filter=Q(results__outcome=Outcome.PASSED), distinct=True),
        )
        .order_by("-first_date", "-pk")[:limit]
    )
    certs = dict(
        Certificate.objects.filter(plan__in=[p.pk for p in plans], status=CertStatus.VALID)
        .values("plan")
        .annotate(n=Count("pk"))
        .values_list("plan", "n")
    )
    return [{"plan": p, "certificates": certs.get(p.pk, 0)} for p in plans]
