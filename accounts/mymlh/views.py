"""The OAuth2 endpoints of MyMLH v4. URLs come from settings so tests can point them at a fake
identity provider on 127.0.0.1; the client id and secret go in the token request's body."""

import uuid

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import (
    OAuth2Adapter,
    OAuth2CallbackView,
    OAuth2LoginView,
)
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect


def provider_settings():
    return settings.SOCIALACCOUNT_PROVIDERS.get("mymlh", {})


class MyMLHOAuth2Adapter(OAuth2Adapter):
    provider_id = "mymlh"
    scope_delimiter = " "
    basic_auth = False  # MyMLH wants client_id and client_secret in the request body

    @property
    def authorize_url(self):
        return provider_settings()["AUTHORIZE_URL"]

    @property
    def access_token_url(self):
        return provider_settings()["ACCESS_TOKEN_URL"]

    @property
    def profile_url(self):
        return provider_settings()["PROFILE_URL"]

    def complete_login(self, request, app, token, **kwargs):
        scopes = set(provider_settings().get("SCOPE", []))
        params = [("expand[]", "education")] if "user:read:education" in scopes else []
        with get_adapter().get_requests_session() as session:
            response = session.get(
                self.profile_url,
                params=params,
                headers={"Authorization": f"Bearer {token.token}", "Accept": "application/json"},
            )
            response.raise_for_status()
            try:
                payload = response.json()
            except ValueError as exc:
                raise OAuth2Error("MyMLH answered with something that is not JSON.") from exc
        data = user_data(payload)
        return self.get_provider().sociallogin_from_response(request, data)


def user_data(payload):
    """The user object, at the top level or under "data"; refuses one without a UUID or email."""
    if isinstance(payload, dict) and isinstance(payload.get("data"), dict):
        payload = payload["data"]
    if not isinstance(payload, dict):
        raise OAuth2Error("MyMLH sent no user.")
    try:
        uuid.UUID(str(payload.get("id")))
    except ValueError as exc:
        raise OAuth2Error("MyMLH sent a user without a valid id.") from exc
    if not isinstance(payload.get("email"), str) or "@" not in payload["email"]:
        raise OAuth2Error("MyMLH sent a user without an email address.")
    return payload


def when_set_up(view):
    """Without MYMLH_CLIENT_ID and MYMLH_CLIENT_SECRET there is no MyMLH app to sign in with:
    send a stale or typed link to the email sign-in with a word, not a server error."""

    def guarded(request, *args, **kwargs):
        if not settings.MYMLH_ENABLED:
            messages.info(
                request,
                "Sign-in with MyMLH is not set up for this event: sign in with your email.",
            )
            return redirect("account_login")
        return view(request, *args, **kwargs)

    return guarded


oauth2_login = when_set_up(OAuth2LoginView.adapter_view(MyMLHOAuth2Adapter))
oauth2_callback = when_set_up(OAuth2CallbackView.adapter_view(MyMLHOAuth2Adapter))
