from allauth.account.models import EmailAddress
from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider

from .views import MyMLHOAuth2Adapter, provider_settings


class MyMLHAccount(ProviderAccount):
    def to_str(self):
        data = self.account.extra_data
        name = " ".join(filter(None, [data.get("first_name"), data.get("last_name")]))
        return name or data.get("email") or super().to_str()


def current_school(data):
    """The school of the current (or first) education entry, when the scope granted it."""
    education = data.get("education") or []
    if not isinstance(education, list):
        return ""
    entries = [e for e in education if isinstance(e, dict)]
    chosen = next((e for e in entries if e.get("current")), entries[0] if entries else None)
    school = (chosen or {}).get("school") or {}
    name = school.get("name") if isinstance(school, dict) else school
    return (name or "").strip() if isinstance(name, str) else ""


class MyMLHProvider(OAuth2Provider):
    id = "mymlh"
    name = "MyMLH"
    account_class = MyMLHAccount
    oauth2_adapter_class = MyMLHOAuth2Adapter

    def get_default_scope(self):
        return list(provider_settings().get("SCOPE", []))

    def extract_uid(self, data):
        return str(data["id"])

    def extract_common_fields(self, data):
        name = " ".join(filter(None, [data.get("first_name"), data.get("last_name")])).strip()
        return {
            "email": (data.get("email") or "").strip().lower(),
            "name": name,
            # Not "phone": allauth takes that key for its own phone-login feature.
            "phone_number": (data.get("phone_number") or "").strip(),
            "school": current_school(data),
        }

    def extract_email_addresses(self, data):
        email = (data.get("email") or "").strip().lower()
        # MyMLH only hands out verified addresses.
        return [EmailAddress(email=email, verified=True, primary=True)] if email else []


provider_classes = [MyMLHProvider]
