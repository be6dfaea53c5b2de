from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError

from .forms import normalise_phone
from .roles import sync_roles


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Password sign-up can be switched off (it is off when MyMLH is the way in)."""
        return settings.ACCOUNT_ALLOW_SIGNUPS

    def login(self, request, user):
        """Every sign-in (password or MyMLH) brings the user's roles in line with the
        allow-list first, so a removed organiser loses access at their next sign-in."""
        sync_roles(user)
        return super().login(request, user)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        """Participants arriving through MyMLH always get an account."""
        return True

    def populate_user(self, request, sociallogin, data):
        """Prefill the profile from MyMLH: name, phone (when plausible) and school."""
        user = super().populate_user(request, sociallogin, data)
        user.email = (data.get("email") or user.email or "").lower()
        user.name = (data.get("name") or "")[:150]
        user.school = (data.get("school") or "")[:150]
        try:
            user.phone = normalise_phone(data.get("phone_number") or "")[:32]
        except ValidationError:  # an odd number from MyMLH is left for the participant to type
            user.phone = ""
        return user
