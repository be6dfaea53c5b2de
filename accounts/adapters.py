from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """Lets settings switch password sign-up off (it is off when MyMLH is the way in)."""

    def is_open_for_signup(self, request):
        return settings.ACCOUNT_ALLOW_SIGNUPS
