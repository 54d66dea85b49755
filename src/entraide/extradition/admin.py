"""Administration of the clock rules and of the closure days (reference data an administrator keeps)."""

from django.contrib import admin

from entraide.extradition.models import ClockRule, ClosureDay


@admin.register(ClockRule)
class ClockRuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "clock", "instrument_code", "country_code", "amount", "unit", "day_count", "active")
    list_filter = ("clock", "unit", "day_count", "active")
    search_fields = ("code", "name", "source", "instrument_code")
    readonly_fields = ("deadline_rule",)


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("day", "country", "label")
    list_filter = ("country",)
    date_hierarchy = "day"
