"""Who is acting: a logged-in user or an organisation's API token, with the request's IP."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings

from kaowu.kernel.enums import ORG_MANAGER_ROLES, ORG_ROLES, Role

if TYPE_CHECKING:  # the kernel sits below the parties app: it names their types, never imports them at run time
    from kaowu.parties.models import ApiToken, User


@dataclass(frozen=True)
class Actor:
    user: User | None
    role: str
    org_id: int | None = None
    district_id: int | None = None
    ip: str | None = None
    token: ApiToken | None = None

    @classmethod
    def of(cls, user: User, *, ip: str | None = None) -> Actor:
        return cls(user=user, role=user.role, org_id=user.org_id, district_id=user.district_id, ip=ip)

    @classmethod
    def of_token(cls, token: ApiToken, *, ip: str | None = None) -> Actor:
        # A token acts for its organisation with the rights of its exam-affairs office.
        return cls(user=None, role=Role.EXAM_AFFAIRS, org_id=token.org_id, ip=ip, token=token)

    @property
    def acting_user(self) -> User | None:
        """The user recorded on rows this actor writes: itself, or the person who issued its API token."""
        if self.user is not None:
            return self.user
        return self.token.created_by if self.token is not None else None

    @property
    def is_centre(self) -> bool:
        return self.role == Role.CENTRE_OFFICER

    @property
    def is_district(self) -> bool:
        return self.role == Role.DISTRICT_OFFICER

    @property
    def is_candidate(self) -> bool:
        return self.role == Role.CANDIDATE

    @property
    def is_org(self) -> bool:
        return self.role in ORG_ROLES

    @property
    def is_org_manager(self) -> bool:
        return self.role in ORG_MANAGER_ROLES

    @property
    def is_site_staff(self) -> bool:
        """Organisation staff who are not the office (invigilators, examiners, markers …)."""
        return self.is_org and not self.is_org_manager

    @property
    def label(self) -> str:
        if self.token is not None:
            return f"API令牌 {self.token.prefix}…（{self.token.name}）"
        if self.user is None:
            return "系统"
        return self.user.display_name or self.user.username

    @property
    def party_label(self) -> str:
        if self.is_centre:
            return "北京市职业技能鉴定管理中心"
        if self.is_district and self.user is not None and self.user.district is not None:
            return self.user.district.agency_name
        if self.org_id is not None:
            party = self.user if self.user is not None else self.token
            return party.org.short_name if party is not None and party.org is not None else ""
        return ""


SYSTEM = Actor(user=None, role="system")


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, unless that is one of settings.TRUSTED_PROXIES — then the right-most
    X-Forwarded-For entry that is not itself a trusted proxy. A client cannot rotate a header to look new."""
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = getattr(settings, "TRUSTED_PROXIES", frozenset())
    if remote is None or remote not in trusted:
        return remote
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        entry = entry.strip()
        if entry and entry not in trusted:
            try:
                return str(ipaddress.ip_address(entry))
            except ValueError:
                return remote  # a malformed header from behind our own proxy: fall back to the proxy
    return remote
