import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.cvs import upload_cv
from accounts.models import AllowListedEmail, Team, User
from accounts.roles import organisers_group, sponsors_group
from accounts.tests.factories import UserFactory
from accounts.tests.fake_mymlh import FakeMyMLH
from api.services import issue_token
from checkout import services
from checkout.models import Notification
from checkout.notifications.tasks import email_participant
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from checkout.tests.past_events import past_event
from core import live
from inventory.models import Entry, Kind
from inventory.tests.factories import EntryFactory

TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def mymlh_set_up(settings):
    """MyMLH sign-in on, as at a real event, against a fake MyMLH on 127.0.0.1."""
    idp = FakeMyMLH().start()
    settings.SOCIALACCOUNT_PROVIDERS = idp.provider_settings()
    settings.MYMLH_ENABLED = True
    yield idp
    idp.stop()


@pytest.fixture
def running_event(db, settings, tmp_path, mymlh_set_up):
    """A small event in full swing, with one object of every kind a URL can name.

    Returns (users by role, VALID: what a good path value is for each route and admin model).
    The objects the sweep may delete are never the users it signs in as.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "cvs": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "cvs"), "base_url": None},
        },
    }
    organiser = UserFactory(email="olive@example.com", is_staff=True)
    organiser.groups.add(organisers_group())
    sponsor = UserFactory(email="sam@sponsor.example")
    sponsor.groups.add(sponsors_group())
    participant = UserFactory(email="pat@example.com")
    superuser = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    someone = UserFactory(email="someone@example.com")  # the person the desk works on

    entry = stocked_entry(units=4, name="Arduino Uno")
    lottery = stocked_entry(units=1, kind=Kind.LOTTERY, name="Oculus")
    free = EntryFactory(kind=Kind.FREE, counted_stock=50, name="Jumper wires")

    mine = HardwareRequestFactory(entry=entry, user=participant)
    submitted = HardwareRequestFactory(entry=entry, user=someone)
    approved = HardwareRequestFactory(entry=stocked_entry(units=2, name="ESP32"), user=someone)
    services.approve_request(hardware_request=approved, by=organiser)
    lent = HardwareRequestFactory(entry=stocked_entry(units=2, name="Pi 5"), user=someone)
    services.approve_request(hardware_request=lent, by=organiser)
    (loan,) = services.fulfil_request(hardware_request=lent, by=organiser, id_storage_label="A1")
    for _ in range(2):
        HardwareRequestFactory(entry=lottery, proposal="A robot that waters plants.")
    commitment = lottery.lottery_commitment  # committed as the first entrant entered
    drawn_entry = stocked_entry(units=1, kind=Kind.LOTTERY, name="Drone")
    HardwareRequestFactory(entry=drawn_entry, proposal="x")
    draw = services.run_lottery(entry=drawn_entry, by=organiser)
    handout = services.record_handout(entry=free, quantity=3, by=organiser, user=someone)
    held_id = services.take_id(user=participant, by=organiser, storage_label="B7")
    upload_cv(
        user=someone,
        file=SimpleUploadedFile("cv.pdf", TINY_PDF, content_type="application/pdf"),
        consent=True,
    )
    allow = AllowListedEmail.objects.create(email="lead@example.com")
    group = Group.objects.create(name="Volunteers")
    address = EmailAddress.objects.create(user=someone, email=someone.email, verified=True)
    social = SocialAccount.objects.create(user=someone, provider="mymlh", uid="4f1d-someone")

    team = Team.objects.create(name="Sweepers", created_by=someone)
    User.objects.filter(pk__in=[someone.pk, participant.pk]).update(team=team)

    notification = Notification.objects.filter(user=someone).first()  # their approval's
    queued = email_participant.enqueue(someone.pk)
    past, past_rows = past_event(1)
    api_token, _ = issue_token(owner=organiser, name="Desk screen", by=organiser)

    valid = {
        ("entry", "pk"): entry.pk,
        ("entry", "entry_id"): entry.pk,  # the API's /api/v1/entries/{entry_id}
        ("request", "pk"): entry.pk,
        ("cancel", "pk"): mine.pk,
        ("live", "token"): live.poll_token(live.user_scope(participant.pk)),
        ("cv_download", "user_id"): someone.pk,
        ("desk_participant", "pk"): someone.pk,
        ("desk_fulfil", "pk"): approved.pk,
        ("desk_approve", "pk"): submitted.pk,
        ("desk_deny", "pk"): submitted.pk,
        ("desk_cancel", "pk"): submitted.pk,
        ("desk_return_loan", "pk"): loan.pk,
        ("desk_take_id", "user_pk"): someone.pk,
        ("desk_return_id", "pk"): held_id.pk,
        ("desk_run_lottery", "pk"): lottery.pk,
        ("lottery_draw", "pk"): draw.pk,
        ("inventory_entry_add_units", "pk"): entry.pk,
        ("view_on_site", "content_type_id"): ContentType.objects.get_for_model(Entry).pk,
        ("view_on_site", "object_id"): entry.pk,
        "inventory.entry": entry.pk,
        "inventory.unit": entry.units.first().pk,
        "inventory.category": entry.category_id,
        "checkout.hardwarerequest": submitted.pk,
        "checkout.loan": loan.pk,
        "checkout.idcollateral": held_id.pk,
        "checkout.lotterydraw": draw.pk,
        "checkout.lotterycommitment": commitment.pk,
        "checkout.handout": handout.pk,
        "checkout.notification": notification.pk,
        "django_tasks_database.dbtaskresult": queued.id,
        "accounts.user": someone.pk,
        "accounts.cv": someone.cv.pk,
        "accounts.allowlistedemail": allow.pk,
        "accounts.team": team.pk,
        "auth.group": group.pk,
        "account.emailaddress": address.pk,
        "socialaccount.socialaccount": social.pk,
        ("auth_user_password_change", "id"): someone.pk,
        "core.eventsettings": 1,
        "checkout.pastevent": past.pk,
        **{model._meta.label_lower: rows[0].pk for model, rows in past_rows.items()},
        "api.apitoken": api_token.pk,
    }
    users = {
        "anonymous": None,
        "participant": participant,
        "sponsor": sponsor,
        "organiser": organiser,
        "superuser": superuser,
    }
    return users, valid


def signed_in(user, **kwargs):
    """A test client that returns 5xx responses instead of raising, signed in as `user`."""
    client = Client(raise_request_exception=False, **kwargs)
    if user is not None:
        client.force_login(user)
    return client
