"""Write functions for parties, filed scope, sites and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction

from kaowu.catalog.models import Occupation
from kaowu.kernel import audit, clock
from kaowu.kernel.actors import Actor
from kaowu.kernel.errors import StateError, require
from kaowu.kernel.permissions import require_centre, require_org_admin, require_org_manager
from kaowu.parties.enums import SiteStatus
from kaowu.parties.models import ApiToken, District, EvaluationOrg, FeeItem, FiledScope, Rulebook, RulebookKind, Site

SITE_FIELDS = ["name", "address", "district", "status", "decision_note", "filed_on"]


def add_filed_scope(
    *, actor: Actor, org: EvaluationOrg, occupation: Occupation, level: int, filed_on: dt.date, reference: str = ""
) -> FiledScope:
    """The centre files an occupation × level for an organisation (ORG-2)."""
    require_centre(actor)
    offered = occupation.standards.filter(is_current=True, levels__level=level).exists()
    require(offered, f"{occupation.name}的现行标准没有该等级，不能备案。", code="level_not_in_standard", field="level")
    with transaction.atomic():
        require(
            not FiledScope.objects.filter(org=org, occupation=occupation, level=level).exists(),
            "该职业等级已在备案范围内。",
            code="scope_exists",
        )
        scope = FiledScope.objects.create(
            org=org, occupation=occupation, level=level, filed_on=filed_on, reference=reference
        )
        audit.record(actor, "parties.scope.filed", scope, changes={"scope": [None, f"{occupation.code} L{level}"]})
    return scope


def file_site(*, actor: Actor, org: EvaluationOrg, name: str, address: str, district: District) -> Site:
    """The centre files a site together with the organisation's filing (备案复函): filed at once, not an add-on."""
    require_centre(actor)
    require(
        bool(name.strip()) and bool(address.strip()),
        "请填写评价地点名称和详细地址。",
        code="site_missing",
        field="name",
    )
    with transaction.atomic():
        require(
            not Site.objects.filter(org=org, name=name.strip()).exists(),
            f"本机构已有名为「{name.strip()}」的评价地点。",
            code="site_name_taken",
            field="name",
        )
        site = Site.objects.create(
            org=org,
            name=name.strip(),
            address=address.strip(),
            district=district,
            status=SiteStatus.FILED,
            is_addon=False,
            decided_at=clock.now(),
            decided_by=actor.acting_user,
            filed_on=clock.today(),
        )
        audit.record(
            actor,
            "parties.site.filed_with_org",
            site,
            changes=audit.changes_between({}, audit.snapshot(site, SITE_FIELDS)),
        )
    return site


def request_site_filing(*, actor: Actor, org: EvaluationOrg, name: str, address: str, district: District) -> Site:
    """增项备案: an organisation asks the centre to file a new site (ORG-2). The site is usable once filed."""
    require_org_manager(actor, org.pk)
    require(bool(name.strip()), "请填写评价地点名称。", code="site_name_missing", field="name")
    require(bool(address.strip()), "请填写评价地点详细地址。", code="site_address_missing", field="address")
    with transaction.atomic():
        require(
            not Site.objects.filter(org=org, name=name.strip()).exists(),
            f"本机构已有名为「{name.strip()}」的评价地点，请换一个名称。",
            code="site_name_taken",
            field="name",
        )
        site = Site.objects.create(
            org=org,
            name=name.strip(),
            address=address.strip(),
            district=district,
            status=SiteStatus.PENDING,
            is_addon=True,
            requested_at=clock.now(),
            requested_by=actor.acting_user,
        )
        audit.record(
            actor,
            "parties.site.filing_requested",
            site,
            changes=audit.changes_between({}, audit.snapshot(site, SITE_FIELDS)),
        )
    return site


def _decide_site(*, actor: Actor, site: Site, status: str, note: str, action: str) -> Site:
    require_centre(actor)
    with transaction.atomic():
        site = Site.objects.select_for_update().get(pk=site.pk)
        if site.status != SiteStatus.PENDING:
            raise StateError(f"该评价地点当前为「{site.get_status_display()}」，无需审核。", code="site_not_pending")
        before = audit.snapshot(site, SITE_FIELDS)
        site.status = status
        site.decided_at = clock.now()
        site.decided_by = actor.acting_user
        site.decision_note = note.strip()
        site.filed_on = clock.today() if status == SiteStatus.FILED else None
        site.save()
        audit.record(actor, action, site, changes=audit.changes_between(before, audit.snapshot(site, SITE_FIELDS)))
    return site


def approve_site_filing(*, actor: Actor, site: Site, note: str = "") -> Site:
    return _decide_site(
        actor=actor, site=site, status=SiteStatus.FILED, note=note or "同意增项备案。", action="parties.site.filed"
    )


def reject_site_filing(*, actor: Actor, site: Site, note: str) -> Site:
    require(bool(note.strip()), "不同意增项备案须写明理由。", code="reason_missing", field="note")
    return _decide_site(actor=actor, site=site, status=SiteStatus.REJECTED, note=note, action="parties.site.rejected")


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_api_token(*, actor: Actor, org: EvaluationOrg, name: str) -> tuple[ApiToken, str]:
    """A new per-organisation API token. The full key is shown once; only its hash is kept."""
    require_org_admin(actor, org.pk)
    require(bool(name.strip()), "请填写令牌用途。", code="token_name_missing", field="name")
    prefix = secrets.token_hex(4)
    key = f"kw_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            org=org,
            name=name.strip(),
            prefix=prefix,
            key_hash=_hash_key(key),
            created_by=actor.acting_user,
            created_at=clock.now(),
        )
        audit.record(actor, "parties.api_token.created", token, changes={"name": [None, token.name]})
    return token, key


def revoke_api_token(*, actor: Actor, token: ApiToken) -> ApiToken:
    require_org_admin(actor, token.org_id)
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = clock.now()
            token.save(update_fields=["revoked_at"])
            audit.record(actor, "parties.api_token.revoked", token, changes={"revoked": [False, True]})
    return token


def token_for_key(key: str) -> ApiToken | None:
    """The live token a presented key belongs to, or None. Compares hashes in constant time."""
    parts = key.split("_")
    if len(parts) < 3 or parts[0] != "kw":
        return None
    token = ApiToken.objects.select_related("org").filter(prefix=parts[1], revoked_at__isnull=True).first()
    if token is None or not secrets.compare_digest(token.key_hash, _hash_key(key)):
        return None
    return token


def publish_rulebook(*, actor: Actor, org: EvaluationOrg, kind: str, title: str, body: str) -> Rulebook:
    """ORG-3: an organisation publishes its 考务/质量/证书/收费 management rules; each version is kept."""
    require_org_manager(actor, org.pk)
    require(
        kind in RulebookKind.values,
        "请选择管理办法类别（考务、质量、证书、收费）。",
        code="rulebook_kind",
        field="kind",
    )
    require(bool(title.strip()), "请填写标题。", code="rulebook_title_missing", field="title")
    require(bool(body.strip()), "请填写正文。", code="rulebook_body_missing", field="body")
    with transaction.atomic():
        book = Rulebook.objects.create(
            org=org, kind=kind, title=title.strip(), body=body.strip(), published_at=clock.now()
        )
        audit.record(actor, "parties.rulebook.published", book, changes={"title": [None, book.title]})
    return book


def publish_fee_items(*, actor: Actor, org: EvaluationOrg, items: list[dict]) -> list[FeeItem]:
    """ORG-3 / BJ Art.11: publish a fee standard of several lines from today, all or nothing (parties.fees).

    Each item: occupation (Occupation), level (int), subject ("theory"/"skill"/"review"), amount_yuan (Decimal),
    basis (str, optional), effective_from / effective_until (dates, optional). A line that applies today is
    replaced: ended yesterday when it started earlier, withdrawn when it was published for today.
    """
    from kaowu.parties import fees

    require_org_manager(actor, org.pk)
    require(bool(items), "请至少填写一项收费标准。", code="fee_items_missing", field="items")
    saved = []
    with transaction.atomic():
        today = clock.today()
        for item in items:
            start = item.get("effective_from") or today
            for line in fees.applying(org.pk, item["occupation"].pk, on=start).filter(
                level=item["level"], subject=item["subject"], effective_from=start
            ):
                fees.withdraw_fee(actor=actor, fee=line, reason="同日重新公示，以新标准为准")
            saved.append(
                fees.publish_fee(
                    actor=actor,
                    org=org,
                    occupation=item["occupation"],
                    level=item["level"],
                    subject=item["subject"],
                    amount_yuan=item["amount_yuan"],
                    effective_from=start,
                    effective_until=item.get("effective_until"),
                    basis=item.get("basis", ""),
                )
            )
    return saved
