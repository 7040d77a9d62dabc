"""The login backend: Django's, with the user's organisation and district read in the same query as the user.

Every request of a logged-in person loads the user; most then name its party (the audit trail's label, the
header, the scoping query), which would be one more query per request each time.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend


class UserWithParty(ModelBackend):
    def get_user(self, user_id):
        from kaowu.parties.models import User

        user = User._default_manager.select_related("org", "district").filter(pk=user_id).order_by().first()
        return user if user is not None and self.user_can_authenticate(user) else None
