"""The allow-list in the admin: lead organisers edit it, plain organisers only read it."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import AllowListedEmail, Role
from accounts.roles import LEAD_ORGANISERS, sync_roles
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/allowlistedemail/"
ADD = "/admin/accounts/allowlistedemail/add/"


def change_url(entry):
    return f"/admin/accounts/allowlistedemail/{entry.pk}/change/"


@pytest.fixture
def lead_client(client):
    """Signed in as a lead organiser made the real way: on the allow-list, roles synced."""
    AllowListedEmail.objects.create(email="lee@example.com", role=Role.LEAD_ORGANISER)
    lead = UserFactory(email="lee@example.com")
    sync_roles(lead)
    client.force_login(lead)
    return client


@pytest.fixture
def plain_client(client):
    AllowListedEmail.objects.create(email="olive@example.com", role=Role.ORGANISER)
    organiser = UserFactory(email="olive@example.com")
    sync_roles(organiser)
    client.force_login(organiser)
    return client


def test_the_migration_makes_the_lead_organisers_group_with_the_allow_list_permissions():
    group = Group.objects.get(name=LEAD_ORGANISERS)
    assert set(group.permissions.values_list("codename", flat=True)) == {
        "add_allowlistedemail",
        "change_allowlistedemail",
        "delete_allowlistedemail",
        "view_allowlistedemail",
    }


def test_a_lead_organiser_adds_changes_and_deletes_entries(lead_client):
    page = lead_client.get(CHANGELIST)
    assert page.status_code == 200
    assert f'href="{ADD}"' in page.content.decode()
    assert lead_client.get(ADD).status_code == 200

    response = lead_client.post(ADD, {"email": " New@Example.com", "role": "organiser", "note": ""})
    assert response.status_code == 302
    entry = AllowListedEmail.objects.get(email="new@example.com")

    response = lead_client.post(
        change_url(entry), {"email": entry.email, "role": "sponsor", "note": "judge"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.role, entry.note) == (Role.SPONSOR, "judge")

    response = lead_client.post(f"{CHANGELIST}{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AllowListedEmail.objects.filter(pk=entry.pk).exists()


def test_a_plain_organiser_sees_the_list_read_only(plain_client):
    entry = AllowListedEmail.objects.get(email="olive@example.com")
    page = plain_client.get(CHANGELIST)
    assert page.status_code == 200
    assert "olive@example.com" in page.content.decode()
    assert f'href="{ADD}"' not in page.content.decode()
    assert plain_client.get(ADD).status_code == 403

    view = plain_client.get(change_url(entry))
    assert view.status_code == 200
    assert view.context["has_change_permission"] is False
    assert 'name="_save"' not in view.content.decode()
    response = plain_client.post(change_url(entry), {"email": entry.email, "role": "sponsor"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.role == Role.ORGANISER


def test_the_changelist_query_count_does_not_grow_for_a_lead_organiser(lead_client, named_queries):
    _, few = named_queries(lead_client.get, CHANGELIST)
    AllowListedEmail.objects.bulk_create(
        AllowListedEmail(email=f"person{n}@example.com") for n in range(30)
    )
    response, many = named_queries(lead_client.get, CHANGELIST)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 31
    assert (
        few
        == many
        == [
            "SELECT accounts_user",  # the signed-in lead organiser
            "SELECT auth_permission",  # their permissions, in one query (accounts/backends.py)
            "SELECT accounts_allowlistedemail",  # the page's count
            "SELECT accounts_allowlistedemail",  # the unfiltered total
            "SELECT accounts_allowlistedemail",  # one page of rows
        ]
    )
