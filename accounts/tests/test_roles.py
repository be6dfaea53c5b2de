import pytest
from django.contrib.auth.models import Group

from accounts.models import AllowListedEmail, Role
from accounts.roles import LEAD_ORGANISERS, ORGANISERS, SPONSORS, sync_roles
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def groups(user):
    return set(user.groups.values_list("name", flat=True))


def test_an_email_in_organiser_emails_becomes_staff_in_organisers(settings):
    settings.ORGANISER_EMAILS = ["Olive@Example.com"]
    user = UserFactory(email="olive@example.com")
    sync_roles(user)
    user.refresh_from_db()
    assert user.is_staff and not user.is_superuser
    assert groups(user) == {ORGANISERS}
    assert user.has_perm("checkout.change_hardwarerequest")
    assert user.has_perm("inventory.change_entry")
    assert not user.has_perm("accounts.change_user")


def test_the_admin_list_works_like_the_environment():
    AllowListedEmail.objects.create(email="sam@example.com", role=Role.SPONSOR)
    user = UserFactory(email="sam@example.com")
    sync_roles(user)
    user.refresh_from_db()
    assert not user.is_staff
    assert groups(user) == {SPONSORS}
    assert user.has_perm("accounts.download_cv")
    assert not user.has_perm("checkout.view_request")


def test_removal_from_the_list_takes_access_away():
    entry = AllowListedEmail.objects.create(email="olive@example.com")
    user = UserFactory(email="olive@example.com")
    sync_roles(user)
    entry.delete()
    sync_roles(user)
    user.refresh_from_db()
    assert not user.is_staff
    assert groups(user) == set()


def test_an_organiser_may_read_the_allow_list_but_not_change_it():
    AllowListedEmail.objects.create(email="olive@example.com")
    user = UserFactory(email="olive@example.com")
    sync_roles(user)
    assert user.has_perm("accounts.view_allowlistedemail")
    assert not user.has_perm("accounts.change_allowlistedemail")


def test_a_lead_organiser_is_an_organiser_who_also_manages_the_allow_list():
    AllowListedEmail.objects.create(email="lee@example.com", role=Role.LEAD_ORGANISER)
    user = UserFactory(email="lee@example.com")
    sync_roles(user)
    user.refresh_from_db()
    assert user.is_staff and not user.is_superuser
    assert groups(user) == {ORGANISERS, LEAD_ORGANISERS}
    for action in ("add", "change", "delete", "view"):
        assert user.has_perm(f"accounts.{action}_allowlistedemail")
    assert not user.has_perm("accounts.change_user")


def test_a_lead_made_a_plain_organiser_leaves_the_lead_group_at_the_next_sync():
    entry = AllowListedEmail.objects.create(email="lee@example.com", role=Role.LEAD_ORGANISER)
    user = UserFactory(email="lee@example.com")
    sync_roles(user)
    entry.role = Role.ORGANISER
    entry.save()
    sync_roles(user)
    user.refresh_from_db()
    assert user.is_staff
    assert groups(user) == {ORGANISERS}


def test_superusers_and_hand_made_staff_are_left_alone():
    boss = UserFactory(email="boss@example.com", is_staff=True, is_superuser=True)
    helper = UserFactory(email="helper@example.com", is_staff=True)
    sync_roles(boss)
    sync_roles(helper)
    boss.refresh_from_db()
    helper.refresh_from_db()
    assert boss.is_superuser and boss.is_staff
    assert helper.is_staff


def test_signing_in_with_a_password_applies_the_list(client, settings):
    settings.ORGANISER_EMAILS = ["pat@example.com"]
    UserFactory(email="pat@example.com")
    client.post("/accounts/login/", {"login": "pat@example.com", "password": "s3cret-pass"})
    assert client.get("/admin/desk/").status_code == 200
    assert Group.objects.get(name=ORGANISERS).user_set.filter(email="pat@example.com").exists()


def test_the_admin_login_page_leads_to_the_one_sign_in(client):
    response = client.get("/admin/login/?next=/admin/desk/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_allow_list_changelist_query_count_does_not_grow(admin_client, named_queries):
    AllowListedEmail.objects.create(email="a@example.com")
    _, few = named_queries(admin_client.get, "/admin/accounts/allowlistedemail/")
    for n in range(40):
        AllowListedEmail.objects.create(email=f"user{n}@example.com")
    response, many = named_queries(admin_client.get, "/admin/accounts/allowlistedemail/")
    assert response.status_code == 200
    assert (
        few
        == many
        == [
            "SELECT accounts_user",  # a superuser: no permissions query
            "SELECT accounts_allowlistedemail",  # the page's count
            "SELECT accounts_allowlistedemail",  # the unfiltered total
            "SELECT accounts_allowlistedemail",  # one page of rows
        ]
    )
