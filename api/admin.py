"""API tokens in the back office: issued here (the token is shown once, in a message),
revoked by an action; never edited beyond their name, never deleted (they are the record of
who had access)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from checkout.desk.access import can_use_desk

from . import services
from .models import ApiToken


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "owner"]

    def clean_owner(self):
        owner = self.cleaned_data["owner"]
        if not can_use_desk(owner):
            raise ValidationError("Only organisers who can use the desk may own a token.")
        return owner


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("revoked", "Revoked")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ["name", "shown_as", "owner", "created_at", "last_used_at", "revoked_at"]
    list_filter = [StateFilter]
    list_select_related = ["owner"]
    search_fields = ["name", "prefix", "owner__email", "owner__name"]
    actions = ["revoke"]
    readonly_fields = [
        "owner",
        "shown_as",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]

    @admin.display(description="token", ordering="prefix")
    def shown_as(self, token):
        return f"{token.prefix}…"

    def get_fields(self, request, obj=None):
        return ["name", "owner"] if obj is None else ["name", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":  # organisers are staff: a short list
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """A new token is issued by the service, which makes its secret: the secret is shown
        once, here, and only its digest is kept. An existing token can only be renamed."""
        if change:
            obj.save(update_fields=["name"])
            return
        token, secret = services.issue_token(owner=obj.owner, name=obj.name, by=request.user)
        for field in ApiToken._meta.concrete_fields:
            setattr(obj, field.attname, getattr(token, field.attname))
        obj._state.adding = False
        obj._state.db = token._state.db
        messages.warning(
            request,
            f"The token for “{token.name}” is {secret} — copy it now: it is not stored and "
            "cannot be shown again. Send it as 'Authorization: Bearer <token>'.",
        )

    @admin.action(description="Revoke selected tokens", permissions=["change"])
    def revoke(self, request, queryset):
        revoked = sum(services.revoke_token(token=token, by=request.user) for token in queryset)
        self.message_user(request, f"Revoked {revoked} token(s); their next request gets 401.")
