"""`manage.py add_organiser`: how the first organiser of a real event gets in."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import AllowListedEmail, Role
from accounts.roles import LEAD_ORGANISERS, ORGANISERS
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def add_organiser(*args):
    out = StringIO()
    call_command("add_organiser", *args, stdout=out)
    return out.getvalue()


def allow_list():
    return dict(AllowListedEmail.objects.values_list("email", "role"))


def groups(user):
    return set(user.groups.values_list("name", flat=True))


def test_it_allow_lists_each_email_as_an_organiser():
    out = add_organiser("  Olive@Example.com ", "max@example.com")
    assert allow_list() == {"olive@example.com": Role.ORGANISER, "max@example.com": Role.ORGANISER}
    assert "olive@example.com: added as organiser" in out
    assert "max@example.com: added as organiser" in out


def test_it_rejects_a_bad_email_and_writes_nothing():
    with pytest.raises(CommandError, match="not-an-email"):
        add_organiser("olive@example.com", "not-an-email")
    assert allow_list() == {}


def test_running_it_again_changes_nothing():
    add_organiser("olive@example.com", "--lead")
    out = add_organiser("OLIVE@example.com", "--lead")
    assert allow_list() == {"olive@example.com": Role.LEAD_ORGANISER}
    assert "olive@example.com: already lead organiser" in out


def test_it_never_demotes_a_lead_organiser():
    add_organiser("olive@example.com", "--lead")
    add_organiser("olive@example.com")
    assert allow_list() == {"olive@example.com": Role.LEAD_ORGANISER}


def test_a_sponsor_becomes_an_organiser():
    AllowListedEmail.objects.create(email="sam@example.com", role=Role.SPONSOR)
    out = add_organiser("sam@example.com")
    assert allow_list() == {"sam@example.com": Role.ORGANISER}
    assert "sam@example.com: sponsor, now organiser" in out


def test_the_first_lead_organiser_gets_in_at_their_first_sign_in(client):
    add_organiser("lead@example.com", "--lead")
    user = UserFactory(email="lead@example.com")  # as MyMLH would create the account
    assert groups(user) == set() and not user.is_staff
    client.post("/accounts/login/", {"login": "lead@example.com", "password": "s3cret-pass"})
    user.refresh_from_db()
    assert user.is_staff and not user.is_superuser
    assert groups(user) == {ORGANISERS, LEAD_ORGANISERS}
    assert client.get("/admin/accounts/allowlistedemail/add/").status_code == 200


def test_an_existing_account_gets_the_role_at_once():
    user = UserFactory(email="olive@example.com")
    add_organiser("olive@example.com", "--lead")
    user.refresh_from_db()
    assert user.is_staff
    assert groups(user) == {ORGANISERS, LEAD_ORGANISERS}
