from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from gandan.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    raw_id_fields = ["unit", "hamlet"]
    exclude = ["created_by", "updated_by"]
    extra = 0


@admin.register(User)
class GandanUserAdmin(UserAdmin):
    inlines = [MembershipInline]
