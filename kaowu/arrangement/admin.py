from django.contrib import admin

from kaowu.arrangement.models import Facility, Room, StaffMember, WorkStation

admin.site.register(Room, list_display=["site", "number", "kind", "rows", "columns", "door"])
admin.site.register(WorkStation, list_display=["room", "code", "equipment"])
admin.site.register(Facility, list_display=["site", "kind", "location"])
admin.site.register(StaffMember, list_display=["org", "name", "roles", "credential_valid_until", "active"])
