"""One due-back time for every open loan (services.set_due_back) and its desk page."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from checkout import services
from checkout.models import Loan
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from core import live
from core.models import EventSettings

pytestmark = pytest.mark.django_db
PAGE = reverse("admin:desk_due_back")


def lend(organiser, n, *, user=None):
    loans = []
    for _ in range(n):
        extra = {"user": user} if user else {}
        request = HardwareRequestFactory(entry=stocked_entry(units=1), **extra)
        services.approve_request(hardware_request=request, by=organiser)
        loans += services.fulfil_request(
            hardware_request=request, by=organiser, id_storage_label=f"S{request.pk}"
        )
    return loans


def due_times():
    return dict(Loan.objects.values_list("pk", "due_at"))


def default_due_back():
    return EventSettings.load().default_due_back


def sunday_nine():
    """A round time to come: 09:00 in the event's time zone, at least a day ahead."""
    later = timezone.localtime() + timedelta(days=2)
    return later.replace(hour=9, minute=0, second=0, microsecond=0)


@pytest.fixture
def loans(organiser):
    """Three open loans and one returned."""
    made = lend(organiser, 4)
    services.return_loan(loan=made[-1], by=organiser)
    return made


def test_it_sets_every_open_loan_and_only_those(organiser, loans):
    before = due_times()
    when = sunday_nine()
    changed = services.set_due_back(due_at=when, by=organiser)
    after = due_times()
    open_ids = {loan.pk for loan in Loan.objects.all() if loan.is_open}
    assert changed == len(open_ids) > 0
    assert {pk for pk in after if after[pk] == when} == open_ids
    returned = set(after) - open_ids
    assert returned and all(after[pk] == before[pk] for pk in returned)
    assert default_due_back() == when


def test_the_admin_history_says_who_changed_it_and_to_what(organiser, loans):
    when = sunday_nine()
    changed = services.set_due_back(due_at=when, by=organiser)
    (entry,) = LogEntry.objects.all()
    assert (entry.user, entry.action_flag, entry.object_id) == (organiser, CHANGE, "1")
    assert entry.content_type.model_class() is EventSettings
    assert entry.change_message == (
        f"Made {changed} open loan(s) due back at {timezone.localtime(when):%a %d %b %Y %H:%M}; "
        "loans handed out from now on are due then too"
    )


def test_loans_handed_out_afterwards_are_due_then_too(organiser, loans):
    when = sunday_nine()
    services.set_due_back(due_at=when, by=organiser)
    (later,) = lend(organiser, 1)
    assert later.due_at == when


def test_it_can_leave_the_default_for_new_loans_alone(organiser, loans):
    before = default_due_back()
    services.set_due_back(due_at=sunday_nine(), by=organiser, for_new_loans=False)
    assert default_due_back() == before


@pytest.mark.parametrize(
    "when, says",
    [
        (lambda: timezone.now() - timedelta(minutes=1), "has passed"),
        (lambda: timezone.now(), "has passed"),
        (lambda: timezone.now() + timedelta(days=31), "more than 30 days away"),
    ],
    ids=["past", "now", "too far"],
)
def test_it_refuses_a_time_not_to_come_and_changes_nothing(organiser, loans, when, says):
    before, default = due_times(), default_due_back()
    with pytest.raises(ValidationError) as refused:
        services.set_due_back(due_at=when(), by=organiser)
    assert says in refused.value.messages[0]
    assert due_times() == before and default_due_back() == default
    assert not LogEntry.objects.exists()


def test_it_is_all_or_nothing(organiser, loans, monkeypatch):
    """If the settings row cannot be written, the loans are not changed either."""
    before = due_times()

    def broken_save(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(EventSettings, "save", broken_save)
    with pytest.raises(RuntimeError):
        services.set_due_back(due_at=sunday_nine(), by=organiser)
    assert due_times() == before
    assert not LogEntry.objects.exists()


def test_participants_pages_learn_of_it(organiser, participant, django_capture_on_commit_callbacks):
    lend(organiser, 1, user=participant)
    mine = live.user_scope(participant.pk)
    before = live.version(mine), live.version(live.SHARED)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_due_back(due_at=sunday_nine(), by=organiser)
    after = live.version(mine), live.version(live.SHARED)
    assert before[0] != after[0] and before[1] != after[1]


def form_value(moment):
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def test_the_page_sets_it_and_says_so(organiser_client, loans):
    when = sunday_nine()
    response = organiser_client.post(
        PAGE, {"due_at": form_value(when), "for_new_loans": "on"}, follow=True
    )
    assert response.redirect_chain == [(PAGE, 302)]
    open_loans = [loan for loan in Loan.objects.all() if loan.is_open]
    assert all(loan.due_at == when for loan in open_loans)
    said = [str(m) for m in response.context["messages"]]
    assert said == [f"{len(open_loans)} open loan(s) are now due back {when:%a %d %b %H:%M}."]
    assert f'value="{form_value(when)}"' in response.content.decode()  # the default now


@pytest.mark.parametrize(
    "due_at, says",
    [
        (lambda: form_value(timezone.now() - timedelta(hours=1)), "has passed"),
        (lambda: "next sunday", "Enter a valid date/time."),
        (lambda: "", "This field is required."),
        (lambda: "2025-13-45T25:61", "Enter a valid date/time."),
        (lambda: "9999-12-31T23:59", "more than 30 days away"),
    ],
    ids=["past", "words", "empty", "impossible", "end of the calendar"],
)
def test_the_page_refuses_bad_input_with_a_400_and_changes_nothing(
    organiser_client, loans, settings, due_at, says
):
    settings.TIME_ZONE = "America/New_York"  # west of UTC: the calendar's end is past UTC's
    before, default = due_times(), default_due_back()
    response = organiser_client.post(PAGE, {"due_at": due_at(), "for_new_loans": "on"})
    assert response.status_code == 400
    assert says in response.content.decode()
    assert due_times() == before and default_due_back() == default


def test_participants_cannot_use_it(participant_client, loans):
    before = due_times()
    response = participant_client.post(PAGE, {"due_at": form_value(sunday_nine())})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert due_times() == before


def test_the_page_query_count_does_not_grow(organiser_client, organiser, named_queries):
    lend(organiser, 2)
    few_response, few = named_queries(organiser_client.get, PAGE)
    lend(organiser, 30)
    response, many = named_queries(organiser_client.get, PAGE)
    assert few_response.context["loans"]["count"] == 2 and response.context["loans"]["count"] == 32
    assert (
        few
        == many
        == [
            "SELECT accounts_user",
            "SELECT auth_permission",
            "SELECT core_eventsettings",  # the current default due-back time
            "SELECT checkout_loan",  # open loans: how many, how many overdue, earliest, latest
        ]
    )
