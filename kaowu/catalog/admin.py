from django.contrib import admin

from kaowu.catalog.models import Occupation, Standard, StandardLevel, StandardSubject, WorkType


class WorkTypeInline(admin.TabularInline):
    model = WorkType
    extra = 0


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    inlines = [WorkTypeInline]


class StandardSubjectInline(admin.TabularInline):
    model = StandardSubject
    extra = 0


@admin.register(StandardLevel)
class StandardLevelAdmin(admin.ModelAdmin):
    list_display = ["standard", "level"]
    inlines = [StandardSubjectInline]


admin.site.register(Standard, list_display=["occupation", "name", "edition", "kind", "is_current"])
