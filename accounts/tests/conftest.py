import pytest

from accounts.tests.fake_mymlh import DEFAULT_SCOPES, FakeMyMLH


@pytest.fixture
def idp():
    """A fake MyMLH on 127.0.0.1, over real HTTP (accounts/tests/fake_mymlh.py)."""
    fake = FakeMyMLH().start()
    yield fake
    fake.stop()


@pytest.fixture
def mymlh(idp, settings):
    """MyMLH sign-in on (password sign-up off, as it is then), against the fake, asking for
    the phone number too (MYMLH_EXTRA_SCOPES=user:read:phone)."""
    settings.SOCIALACCOUNT_PROVIDERS = idp.provider_settings((*DEFAULT_SCOPES, "user:read:phone"))
    settings.MYMLH_ENABLED = True
    settings.ACCOUNT_ALLOW_SIGNUPS = False
    return idp
