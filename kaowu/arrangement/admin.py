from django.contrib import admin

from kaowu.arrangement.models import Facility, Room, StaffMember, WorkStation
from kaowu.kernel.admin import ReadOnlyAdmin

admin.site.register(Room, ReadOnlyAdmin, list_display=["site", "number", "kind", "rows", "columns", "door"])
admin.site.register(WorkStation, ReadOnlyAdmin, list_display=["room", "code", "equipment"])
admin.site.register(Facility, ReadOnlyAdmin, list_display=["site", "kind", "location"])
admin.site.register(
    StaffMember, ReadOnlyAdmin, list_display=["org", "name", "roles", "credential_valid_until", "active"]
)
