"""API tokens in the admin: issued with the token shown once, revoked by an action, listed at
a fixed query count; lead organisers manage them, plain organisers do not see them."""

import re

import pytest
from django.contrib.messages import get_messages

from accounts.models import AllowListedEmail, Role
from accounts.roles import sync_roles
from accounts.tests.factories import UserFactory
from api import services
from api.models import ApiToken

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/api/apitoken/"
ADD = "/admin/api/apitoken/add/"


@pytest.fixture
def lead(db):
    """A lead organiser made the real way: on the allow-list, roles synced."""
    AllowListedEmail.objects.create(email="lee@example.com", role=Role.LEAD_ORGANISER)
    user = UserFactory(email="lee@example.com", name="Lee Lead")
    sync_roles(user)
    return user


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


def test_a_lead_organiser_issues_a_token_and_sees_it_once(lead_client, lead, organiser):
    response = lead_client.post(ADD, {"name": "Chat bot", "owner": organiser.pk}, follow=True)

    assert response.status_code == 200
    (token,) = ApiToken.objects.all()
    assert (token.name, token.owner, token.created_by) == ("Chat bot", organiser, lead)
    shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
    shown += response.content.decode()
    (secret,) = set(re.findall(r"cog_[A-Za-z0-9_-]{43}", shown))
    assert ApiToken.objects.for_secret(secret) == token
    # The token's own page shows the prefix, never the secret.
    page = lead_client.get(f"{CHANGELIST}{token.pk}/change/").content.decode()
    assert token.prefix in page and secret not in page


@pytest.mark.parametrize(
    ("is_staff", "said"),
    [(True, "Only organisers who can use the desk may own a token."), (False, "valid choice")],
)
def test_it_refuses_an_owner_without_the_desk(lead_client, is_staff, said):
    owner = UserFactory(is_staff=is_staff)
    response = lead_client.post(ADD, {"name": "Bot", "owner": owner.pk})
    assert response.status_code == 200
    assert said in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_revoke_action_calls_the_service(lead_client, lead, organiser):
    token, secret = services.issue_token(owner=organiser, name="Bot", by=organiser)
    response = lead_client.post(
        CHANGELIST, {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_by == lead
    assert ApiToken.objects.for_secret(secret) is None


def test_tokens_cannot_be_deleted(lead_client, organiser):
    token, _ = services.issue_token(owner=organiser, name="Bot", by=organiser)
    assert lead_client.get(f"{CHANGELIST}{token.pk}/delete/").status_code == 403


def test_plain_organisers_cannot_see_tokens(organiser_client):
    assert organiser_client.get(CHANGELIST).status_code == 403


def test_the_changelist_costs_the_same_at_2_tokens_and_at_30(lead_client, organiser, named_queries):
    owners = [organiser, *[UserFactory(is_staff=True) for _ in range(29)]]
    for owner in owners[:2]:
        ApiToken.objects.create(owner=owner, name="x", prefix="cog_x", digest=f"{owner.pk:064x}")
    _, few = named_queries(lead_client.get, CHANGELIST)
    for owner in owners[2:]:
        ApiToken.objects.create(owner=owner, name="x", prefix="cog_x", digest=f"{owner.pk:064x}")
    response, many = named_queries(lead_client.get, CHANGELIST)
    assert len(response.context["cl"].result_list) == 30
    assert (
        few
        == many
        == [
            "SELECT accounts_user",  # the signed-in user
            "SELECT auth_permission",  # their permissions
            "SELECT api_apitoken",  # the page's count
            "SELECT api_apitoken",  # the page, with owners (list_select_related)
            "SELECT api_apitoken",  # the unfiltered total
        ]
    )
