from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError

from core.redirects import safe_next

from .forms import normalise_phone
from .onboarding import needs_profile_step, profile_step_url
from .roles import sync_roles


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Password sign-up can be switched off (it is off when MyMLH is the way in)."""
        return settings.ACCOUNT_ALLOW_SIGNUPS

    def is_safe_url(self, url):
        """allauth asks this of every `next` it is given (sign-in, sign-up, MyMLH's state):
        answer with core.redirects.safe_next, the one rule for the whole site (a path on this
        host; allauth's own would also take absolute URLs to any ALLOWED_HOSTS name)."""
        return bool(safe_next(context.request, url))

    def login(self, request, user):
        """Every sign-in (password or MyMLH) brings the user's roles in line with the
        allow-list first, so a removed organiser loses access at their next sign-in."""
        sync_roles(user)
        return super().login(request, user)

    def post_login(self, request, user, *, redirect_url, **kwargs):
        """After every sign-in and sign-up, password or MyMLH: a participant whose profile
        lacks something the desk needs goes to the profile step first, with their `next`.

        This hook rather than get_login_redirect_url / get_signup_redirect_url: allauth only
        asks those when no `next` came along, and a `next` is exactly what the step keeps.
        Roles are already synced (login() runs first), so a new organiser is not asked."""
        if needs_profile_step(user):
            redirect_url = profile_step_url(safe_next(request, redirect_url))
        return super().post_login(request, user, redirect_url=redirect_url, **kwargs)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        """Participants arriving through MyMLH always get an account."""
        return True

    def populate_user(self, request, sociallogin, data):
        """Prefill the profile from MyMLH: name, phone (when plausible) and school. The
        profile step shows them, for the participant to check and complete."""
        user = super().populate_user(request, sociallogin, data)
        user.email = (data.get("email") or user.email or "").lower()
        user.name = (data.get("name") or "")[:150]
        user.school = (data.get("school") or "")[:150]
        try:
            user.phone = normalise_phone(data.get("phone_number") or "")[:32]
        except ValidationError:  # an odd number from MyMLH is left for the participant to type
            user.phone = ""
        return user
