from allauth.socialaccount.models import SocialApp, SocialToken
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.db import models
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from core.admin import LabelledSplitDateTime

from .badges import issue_new_badges
from .models import CV, AllowListedEmail, Team, User
from .teams import clean_team_name, create_team, new_code_for, rename_team

# MyMLH is configured in settings, and tokens are not stored (SOCIALACCOUNT_STORE_TOKENS is off):
# a SocialApp row made here would compete with the settings, and there are no tokens to list.
admin.site.unregister(SocialApp)
admin.site.unregister(SocialToken)


class CogUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class CogUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin draws no help text for the read-only password (it has its own reset
        # button), so a describedby pointing at it would point at nothing.
        if "password" in self.fields:
            self.fields["password"].help_text = ""


class ExistsFilter(admin.SimpleListFilter):
    """Yes/no on an annotated boolean."""

    annotation = ""

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(**{self.annotation: self.value() == "yes"})
        return queryset


class HasCVFilter(ExistsFilter):
    title = "shared a CV"
    parameter_name = "has_cv"
    annotation = "has_cv"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = CogUserChangeForm
    formfield_overrides = {models.DateTimeField: {"widget": LabelledSplitDateTime}}
    add_form = CogUserCreationForm
    ordering = ["email"]
    list_display = [
        "email",
        "name",
        "phone",
        "location",
        "team",
        "cv_column",
        "is_staff",
    ]
    list_filter = [HasCVFilter, "is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "name", "phone", "location", "team__name", "school"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name", "phone", "location", "team", "school"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    # Membership changes go through accounts/teams.py (its locks and the teams' limits):
    # participants join and leave on their team page.
    readonly_fields = ["team"]

    def get_queryset(self, request):
        # What each row shows comes from annotations: no query per user.
        return (
            super()
            .get_queryset(request)
            .select_related("team")
            .annotate(has_cv=Exists(CV.objects.filter(user=OuterRef("pk"))))
        )

    actions = ["print_badges", "issue_new_badges"]

    @admin.action(description="Print desk badges")
    def print_badges(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True)[:1000])
        return HttpResponseRedirect(f"{reverse('admin:desk_badges')}?ids={ids}")

    @admin.action(description="Issue new badge codes (the old ones stop working)")
    def issue_new_badges(self, request, queryset):
        changed = issue_new_badges(queryset)
        self.message_user(request, f"{changed} badge code(s) replaced: print the new badges.")

    @admin.display(description="CV", boolean=True, ordering="has_cv")
    def cv_column(self, user):
        return user.has_cv


@admin.register(AllowListedEmail)
class AllowListedEmailAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "note", "added_at"]
    list_filter = ["role"]
    search_fields = ["email", "note"]
    fields = ["email", "role", "note"]

    def save_model(self, request, obj, form, change):
        obj.email = obj.email.strip().lower()
        super().save_model(request, obj, form, change)


@admin.register(CV)
class CVAdmin(admin.ModelAdmin):
    list_display = ["user", "original_name", "content_type", "size", "consent_at", "download"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__name"]
    readonly_fields = [field.name for field in CV._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="file")
    def download(self, cv):
        return format_html(
            '<a href="{}">download</a>', reverse("accounts:cv_download", args=[cv.user_id])
        )


class TeamAdminForm(forms.ModelForm):
    """The name as the team services take it (spaces tidied, unique without case), checked
    here so that a refusal is a form error, not a failed save."""

    class Meta:
        model = Team
        fields = ["name"]

    def clean_name(self):
        name = clean_team_name(self.cleaned_data["name"])
        taken = Team.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"There is already a team called “{name}”.")
        return name


class MemberInline(admin.TabularInline):
    model = User
    fk_name = "team"
    fields = ["email", "name", "phone", "location"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "member"
    verbose_name_plural = "members (they join and leave on their team page)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    """Teams: organisers see who is in each, correct a name, replace a join code that got
    out. Writes go through accounts/teams.py, as on the participants' team page."""

    form = TeamAdminForm
    list_display = ["name", "join_code", "member_count_column", "created_by", "created_at"]
    list_select_related = ["created_by"]
    search_fields = ["name", "join_code", "members__email", "members__name"]
    fields = ["name", "join_code", "created_by", "created_at"]
    readonly_fields = ["join_code", "created_by", "created_at"]
    inlines = [MemberInline]
    actions = ["give_new_join_codes"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_member_count()

    @admin.display(description="members", ordering="member_count")
    def member_count_column(self, team):
        return team.member_count

    def save_model(self, request, obj, form, change):
        if change:
            rename_team(team=obj, name=obj.name)
        else:
            team = create_team(name=obj.name, by=request.user, join=False)
            obj.pk, obj.join_code, obj.created_at = team.pk, team.join_code, team.created_at
            obj.created_by = team.created_by

    @admin.action(description="Give new join codes (the old ones stop working)")
    def give_new_join_codes(self, request, queryset):
        teams = list(queryset)
        for team in teams:
            new_code_for(team=team)
        self.message_user(request, f"{len(teams)} team(s) have new join codes.")
