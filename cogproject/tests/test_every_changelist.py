"""Every admin changelist, ours and the libraries', has a fixed query count.

A new ModelAdmin without a row builder here fails `test_every_changelist_is_covered`, so no
changelist can join the back office without a query budget.
"""

import itertools
import uuid

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import AllowListedEmail
from accounts.tests.factories import CVFactory, TeamFactory, UserFactory
from api import services as api_services
from checkout import services
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from checkout.tests.past_events import past_event
from inventory.models import Kind
from inventory.tests.factories import CategoryFactory, EntryFactory

pytestmark = pytest.mark.django_db
_serial = itertools.count()


def _tag():
    return f"{next(_serial)}-{uuid.uuid4().hex[:6]}"


def _social_accounts(n):
    return [
        SocialAccount.objects.create(user=UserFactory(), provider="mymlh", uid=str(uuid.uuid4()))
        for _ in range(n)
    ]


def _desk_activity(n):
    organiser = UserFactory(is_staff=True)
    for _ in range(n):
        entry = stocked_entry(units=2)
        request = HardwareRequestFactory(entry=entry)
        services.approve_request(hardware_request=request, by=organiser)
        services.fulfil_request(
            hardware_request=request, by=organiser, id_storage_label=f"A{request.pk}"
        )
        lottery = stocked_entry(units=1, kind=Kind.LOTTERY)
        HardwareRequestFactory(entry=lottery, proposal="x")
        services.run_lottery(entry=lottery, by=organiser)
        free = EntryFactory(kind=Kind.FREE, counted_stock=5)
        services.record_handout(entry=free, quantity=1, by=organiser, user=request.user)


def _lottery_commitments(n):
    """Half committed by an organiser, half automatically as the first entrant entered."""
    organiser = UserFactory(is_staff=True)
    for number in range(n):
        lottery = stocked_entry(units=1, kind=Kind.LOTTERY)
        if number % 2:
            HardwareRequestFactory(entry=lottery, proposal="x")
        else:
            services.commit_lottery_seed(entry=lottery, by=organiser)


def _queued_emails(n):
    from checkout.notifications.tasks import email_participant

    return [email_participant.enqueue(user.pk) for user in UserFactory.create_batch(n)]


def _notifications(n):
    """Participants told about approvals, batched or not, and about returns."""
    organiser = UserFactory(is_staff=True)
    for _ in range(n):
        request = HardwareRequestFactory(entry=stocked_entry(units=1))
        services.approve_request(hardware_request=request, by=organiser)
        (loan,) = services.fulfil_request(
            hardware_request=request, by=organiser, id_storage_label=f"N{request.pk}"
        )
        services.return_loan(loan=loan, by=organiser)


def _teams(n):
    """Teams of three members each, one made by an organiser."""
    teams = TeamFactory.create_batch(n, created_by=UserFactory(is_staff=True))
    for team in teams:
        UserFactory.create_batch(3, team=team)
    return teams


def _api_tokens(n):
    """Tokens of n organisers, half of them revoked."""
    tokens = []
    for number in range(n):
        owner = UserFactory(is_staff=True, is_superuser=True)  # may use the desk
        token, _ = api_services.issue_token(owner=owner, name=f"Bot {number}", by=owner)
        if number % 2:
            api_services.revoke_token(token=token, by=owner)
        tokens.append(token)
    return tokens


BUILDERS = {
    "api.ApiToken": _api_tokens,
    "auth.Group": lambda n: Group.objects.bulk_create(Group(name=f"g{_tag()}") for _ in range(n)),
    "account.EmailAddress": lambda n: [
        EmailAddress.objects.create(user=u, email=u.email, verified=True, primary=True)
        for u in UserFactory.create_batch(n)
    ],
    "socialaccount.SocialAccount": _social_accounts,
    "accounts.User": lambda n: UserFactory.create_batch(n),
    "accounts.AllowListedEmail": lambda n: [
        AllowListedEmail.objects.create(email=f"a{_tag()}@example.com") for _ in range(n)
    ],
    "accounts.CV": lambda n: CVFactory.create_batch(n),
    "accounts.Team": _teams,
    "inventory.Entry": lambda n: [
        stocked_entry(units=3, category=CategoryFactory()) for _ in range(n)
    ],
    "inventory.Unit": lambda n: [stocked_entry(units=5) for _ in range(n)],
    "inventory.Category": lambda n: [EntryFactory(category=CategoryFactory()) for _ in range(n)],
    "checkout.HardwareRequest": _desk_activity,
    "checkout.Loan": _desk_activity,
    "checkout.IDCollateral": _desk_activity,
    "checkout.LotteryDraw": _desk_activity,
    "checkout.LotteryCommitment": _lottery_commitments,
    "checkout.Handout": _desk_activity,
    "checkout.Notification": _notifications,
    "django_tasks_database.DBTaskResult": _queued_emails,
    "checkout.PastEvent": lambda n: [past_event(0, name=f"Event {_tag()}") for _ in range(n)],
    **{
        f"checkout.Past{kind}": lambda n: past_event(n, name=f"Event {_tag()}")
        for kind in ("Request", "Loan", "IDHold", "Draw", "Handout", "CVConsent")
    },
}
NOT_LISTS = {"core.EventSettings": "one row: its changelist redirects to that row's page"}

# Exactly these, at 2 rows and at 30 (admin_client is a superuser: no permissions query):
# the user, the filters' own lookups (groups), the page's count, the page of rows with what
# list_display shows, and the changelist's unfiltered total.
EXPECTED_QUERIES = {
    "api.ApiToken": [
        "SELECT accounts_user",
        "SELECT api_apitoken",
        "SELECT api_apitoken",
        "SELECT api_apitoken",
    ],
    "account.EmailAddress": [
        "SELECT accounts_user",
        "SELECT account_emailaddress",
        "SELECT account_emailaddress",
        "SELECT account_emailaddress",
    ],
    "accounts.AllowListedEmail": [
        "SELECT accounts_user",
        "SELECT accounts_allowlistedemail",
        "SELECT accounts_allowlistedemail",
        "SELECT accounts_allowlistedemail",
    ],
    "accounts.CV": [
        "SELECT accounts_user",
        "SELECT accounts_cv",
        "SELECT accounts_cv",
        "SELECT accounts_cv",
    ],
    "accounts.User": [
        "SELECT accounts_user",
        "SELECT auth_group",
        "SELECT accounts_user",
        "SELECT accounts_user",
        "SELECT accounts_user",
    ],
    # The page of teams with their creator (joined) and member count (a subquery).
    "accounts.Team": [
        "SELECT accounts_user",
        "SELECT accounts_team",
        "SELECT accounts_team",
        "SELECT accounts_team",
    ],
    "auth.Group": [
        "SELECT accounts_user",
        "SELECT auth_group",
        "SELECT auth_group",
        "SELECT auth_group",
    ],
    "checkout.Handout": [
        "SELECT accounts_user",
        "SELECT checkout_handout",
        "SELECT checkout_handout",
    ],
    "checkout.HardwareRequest": [
        "SELECT accounts_user",
        "SELECT checkout_hardwarerequest",
        "SELECT checkout_hardwarerequest",
    ],
    "checkout.IDCollateral": [
        "SELECT accounts_user",
        "SELECT checkout_idcollateral",
        "SELECT checkout_idcollateral",
        "SELECT checkout_idcollateral",
    ],
    "checkout.Loan": ["SELECT accounts_user", "SELECT checkout_loan", "SELECT checkout_loan"],
    "checkout.Notification": [
        "SELECT accounts_user",
        "SELECT checkout_notification",
        "SELECT checkout_notification",
    ],
    # django-tasks-db's own admin: its priority and queue filters each list their values.
    "django_tasks_database.DBTaskResult": [
        "SELECT accounts_user",
        *["SELECT django_tasks_database_dbtaskresult"] * 5,
    ],
    "checkout.LotteryDraw": [
        "SELECT accounts_user",
        "SELECT checkout_lotterydraw",
        "SELECT checkout_lotterydraw",
        "SELECT checkout_lotterydraw",
    ],
    "checkout.LotteryCommitment": [
        "SELECT accounts_user",
        "SELECT checkout_lotterycommitment",
        "SELECT checkout_lotterycommitment",
        "SELECT checkout_lotterycommitment",
    ],
    "inventory.Category": [
        "SELECT accounts_user",
        "SELECT inventory_category",
        "SELECT inventory_category",
        "SELECT inventory_category",
    ],
    "inventory.Entry": [
        "SELECT accounts_user",
        "SELECT inventory_category",
        "SELECT inventory_entry",
        "SELECT inventory_entry",
    ],
    "inventory.Unit": [
        "SELECT accounts_user",
        "SELECT inventory_unit",
        "SELECT inventory_unit",
        "SELECT inventory_unit",
    ],
    "socialaccount.SocialAccount": [
        "SELECT accounts_user",
        "SELECT socialaccount_socialaccount",
        "SELECT socialaccount_socialaccount",
        "SELECT socialaccount_socialaccount",
        "SELECT socialaccount_socialaccount",
    ],
    "checkout.PastEvent": [
        "SELECT accounts_user",
        "SELECT checkout_pastevent",
        "SELECT checkout_pastevent",
        "SELECT checkout_pastevent",
    ],
    # The event filter lists the past events; rows come with their event (select_related).
    **{
        f"checkout.Past{kind}": [
            "SELECT accounts_user",
            "SELECT checkout_pastevent",
            f"SELECT checkout_past{kind.lower()}",
            f"SELECT checkout_past{kind.lower()}",
            f"SELECT checkout_past{kind.lower()}",
        ]
        for kind in ("Request", "Loan", "IDHold", "Draw", "Handout", "CVConsent")
    },
}


def test_every_changelist_is_covered():
    registered = {model._meta.label for model in admin.site._registry}
    assert registered == set(BUILDERS) | set(NOT_LISTS)


@pytest.mark.parametrize("label", sorted(BUILDERS))
def test_changelist_query_count_does_not_grow(admin_client, named_queries, label):
    model = next(m for m in admin.site._registry if m._meta.label == label)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    BUILDERS[label](2)
    _, few = named_queries(admin_client.get, url)
    BUILDERS[label](30)
    response, many = named_queries(admin_client.get, url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= 30
    assert few == many == EXPECTED_QUERIES[label]
