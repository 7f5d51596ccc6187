from django.contrib import admin

from jalur.audit.modeladmin import AuditedModelAdmin

from .models import District, HistoricalCode, Province, Regency, Village


@admin.register(Province, Regency, District, HistoricalCode)
class RegionAdmin(AuditedModelAdmin):
    search_fields = ["code"]


@admin.register(Village)
class VillageAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "district", "postcode"]
    search_fields = ["code", "name"]
