from django.contrib import admin

from entraide.informal.models import ChannelRule


@admin.register(ChannelRule)
class ChannelRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "verdict", "order", "active", "source")
    list_filter = ("verdict", "active")
    search_fields = ("code", "source")
